// outer: an include among other lines
  	#include "test/include/inner.cl"  
float outer(void) { return inner(); }
// a comment naming #include "test/include/inner.cl" is text
#include_next "test/include/inner.cl"
#include "test/include/crlf.cl"
