/* server.h - the HTTPS server: CivetWeb hardened, every request through one pipeline
 * (request id, body cap, query/form parsing, router, handler, access log, metrics). */
#ifndef PORTAL_SERVER_H
#define PORTAL_SERVER_H

#include <stddef.h>

/* Starts the server with app.cfg, blocks until SIGINT/SIGTERM, then stops gracefully (in-flight
 * requests finish). Returns 0, or -1 with one line in err when it cannot start. */
int server_run(char *err, size_t errlen);

#endif
