// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QWidget;

namespace sluice {

/// Names the buttons Qt 6.4 makes inside its own widgets without any text, which a screen
/// reader announces as "button" and nothing else: the clear button of a line edit
/// (clearButtonEnabled: "Clear <the edit's accessible name>", also as its tooltip), the
/// corner button of a table ("Select all"), and the extension buttons of a toolbar or menu
/// bar that has no room ("More toolbar buttons", "More menus").
/// Covers what exists under root now; call it again for widgets made later.
void nameInnerButtons(QWidget *root);

} // namespace sluice
