# fish completion for pcheck (psaver)
complete -c pcheck -s f -l file -r -F -d 'The pfile'
complete -c pcheck -l check -d 'Validate the pfile and exit'
complete -c pcheck -l log -r -a 'syslog stderr' -F -d 'Where log lines go: syslog, stderr or a file'
complete -c pcheck -l cluster-resource -x -d 'The cluster resource that runs this engine'
complete -c pcheck -l cluster-manager -x -a 'pacemaker clusterpro' -d 'Which commands padmin suggests'
complete -c pcheck -l on-retry-over -r -d 'Run this command at retry over (must come last)'
complete -c pcheck -l version -d 'Print the version and exit'
complete -c pcheck -s h -l help -d 'Show the help'
