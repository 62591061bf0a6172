// The extended-attribute calls of the C library (listxattr, getxattr, setxattr), which
// Swift's Glibc module does not import. Only RootFS imports this module.
#include <sys/xattr.h>
