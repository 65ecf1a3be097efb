# bash completion for pcheck (psaver)
_pcheck() {
    local cur prev
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    # Everything after --on-retry-over is a command of its own.
    local i
    for ((i = 1; i < COMP_CWORD; i++)); do
        if [[ ${COMP_WORDS[i]} == --on-retry-over ]]; then
            COMPREPLY=($(compgen -c -f -- "$cur"))
            return
        fi
    done
    case $prev in
        -f|--file)
            COMPREPLY=($(compgen -f -- "${cur:-/etc/psaver/}"))
            return ;;
        --log)
            COMPREPLY=($(compgen -W 'syslog stderr' -- "$cur") $(compgen -f -- "$cur"))
            return ;;
        --cluster-manager)
            COMPREPLY=($(compgen -W 'pacemaker clusterpro' -- "$cur"))
            return ;;
        --cluster-resource|--startup-grace)
            return ;;
    esac
    COMPREPLY=($(compgen -W '-f --file --check --log --startup-grace --cluster-resource --cluster-manager
        --on-retry-over --version -h --help' -- "$cur"))
}
complete -o filenames -F _pcheck pcheck
