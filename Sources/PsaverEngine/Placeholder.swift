// PsaverEngine
