// PsaverConsole
