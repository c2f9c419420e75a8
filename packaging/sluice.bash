# SPDX-License-Identifier: GPL-3.0-or-later
# Bash completion for sluice(1): its commands, their options, and files of the kind each
# takes. Installed as share/bash-completion/completions/sluice; keep it in step with
# packaging/sluice.1.in. scripts/check-package.sh tries it.

_sluice()
{
    local cur prev words cword split
    _init_completion -s || return

    local command="" i
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            run | resume | validate | preview | demo-api)
                command=${words[i]}
                break
                ;;
        esac
    done

    # An option's value.
    case $prev in
        --failed | --journal | --state)
            _filedir
            return
            ;;
        --report)
            _filedir html
            return
            ;;
        --set | --shard | --progress-interval | -n | --port | --host)
            return
            ;;
    esac
    $split && return

    local output='--failed --json --report --progress-interval --quiet --help'
    local options files
    case $command in
        run)
            options="--set --journal --no-journal --shard --state $output"
            files=json
            ;;
        resume)
            options=$output
            files=sluicerun
            ;;
        validate)
            options='--set --shard --state --help'
            files=json
            ;;
        preview)
            options='--set --shard --state -n --help'
            files=json
            ;;
        demo-api)
            options='--port --host --help'
            files=
            ;;
        *)
            # The desktop app: a transfer to open, or a command.
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W '--start --help --version' -- "$cur"))
            else
                COMPREPLY=($(compgen -W 'run resume validate preview demo-api' -- "$cur"))
                _filedir json
            fi
            return
            ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
        [[ ${COMPREPLY-} == *= ]] && compopt -o nospace
    elif [[ -n $files ]]; then
        _filedir "$files"
    fi
} &&
    complete -F _sluice sluice
