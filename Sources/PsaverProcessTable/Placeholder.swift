// PsaverProcessTable
