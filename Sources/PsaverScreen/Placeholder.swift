// PsaverScreen
