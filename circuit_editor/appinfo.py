"""The app's identity, shared by the code, the desktop files and their test."""

APP_ID = "io.github.circuit_editor.CircuitEditor"
MIME_TYPE = "application/vnd.circuit-editor+json"
EXTENSION = ".circuit"
