float inner(void) { return 1.0f; }
