// The header test compiled as C++ (see headertest.c).
#include "headertest.c"
