/* app.c - the process-wide state; see app.h. */
#include "app.h"

struct app app;
