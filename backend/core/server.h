/* server.h - the HTTPS server: CivetWeb hardened, every request through one pipeline
 * (request id, body cap, query/form parsing, router, handler, access log, metrics). */
#ifndef PORTAL_SERVER_H
#define PORTAL_SERVER_H

#include <stddef.h>

/* Starts serving with app.cfg (SIGINT and SIGTERM are then held for server_wait). Returns 0, or
 * -1 with one line in err when it cannot start. */
int server_start(char *err, size_t errlen);

/* Blocks until SIGINT or SIGTERM, then stops gracefully: requests in flight finish. */
void server_wait(void);

#endif
