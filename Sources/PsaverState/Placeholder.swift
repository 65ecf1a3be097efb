// PsaverState
