#ifndef VIRTHOST_CAUGEAS_SHIM_H
#define VIRTHOST_CAUGEAS_SHIM_H
#include <augeas.h>
#endif
