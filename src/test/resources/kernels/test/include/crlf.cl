// a file with CRLF line endings
#include "test/include/inner.cl"
float crlf(void) { return 2.0f; }
