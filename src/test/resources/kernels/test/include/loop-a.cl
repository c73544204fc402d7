#include "test/include/loop-b.cl"
