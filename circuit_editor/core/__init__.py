"""The Qt-free core: gates, the circuit document, the engine, code reading and layout."""
