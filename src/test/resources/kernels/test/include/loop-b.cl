#include "test/include/loop-a.cl"
