/* app.h - the process-wide state every handler may read: configuration and loaded templates.
 * Set up once by the serve command before the server starts; read-only afterwards. */
#ifndef PORTAL_APP_H
#define PORTAL_APP_H

#include "assets.h"
#include "config.h"
#include "template.h"

struct app {
	struct config cfg;
	struct tpl_set *templates;
	struct assets *assets;
};

extern struct app app;

#endif
