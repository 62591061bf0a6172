#ifndef VIRTHOST_CAUGEAS_SHIM_H
#define VIRTHOST_CAUGEAS_SHIM_H
// augeas.h includes <libxml/tree.h> only for the xmlNode of aug_to_xml, which
// virthost does not use. libxml2's headers pull in the system's ICU headers, whose
// types clash with Foundation's own ICU module in any Swift module that sees both
// ("'UErrorCode' has different definitions in different modules"). Stand in for
// tree.h with an opaque xmlNode so that the C module never reaches ICU.
#ifndef __XML_TREE_H__
#define __XML_TREE_H__
typedef struct _xmlNode xmlNode;
#endif
#include <augeas.h>
#endif
