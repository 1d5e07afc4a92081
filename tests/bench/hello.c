/* hello.c - the benchmark's ceiling: a bare CivetWeb server that answers every request with
 * "hello", over TLS with the portal's TLS and connection settings (backend/core/server.c), so
 * that the portal's numbers read as a fraction of what CivetWeb itself does on this machine.
 *
 * Usage: hello PORT PEM THREADS
 *   PORT     loopback port to listen on (127.0.0.1 only)
 *   PEM      one file holding the private key and the certificate
 *   THREADS  worker threads (the portal's `threads`)
 * Runs until SIGINT or SIGTERM; exits 1 when the server cannot start.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civetweb.h"

/* The whole response, written at once: the least work CivetWeb can be asked to do. */
static const char hello_response[] = "HTTP/1.1 200 OK\r\n"
				     "Content-Type: text/plain; charset=utf-8\r\n"
				     "Content-Length: 6\r\n"
				     "\r\n"
				     "hello\n";

/* Answers any request with 200 and "hello". Takes the connection; returns the status sent. */
static int hello_handler(struct mg_connection *conn, void *data)
{
	(void)data;
	mg_write(conn, hello_response, sizeof hello_response - 1);
	return 200;
}

/* Starts the server from argv, waits for SIGINT/SIGTERM, stops it. Returns the exit status. */
int main(int argc, char **argv)
{
	char ports[64];
	char errtext[256] = "";
	struct mg_init_data init;
	struct mg_error_data error;
	struct mg_callbacks callbacks;
	struct mg_context *ctx = NULL;
	sigset_t stop;
	int sig;
	int rc = 1;

	if (argc != 4) {
		fprintf(stderr, "usage: hello PORT PEM THREADS\n");
		return 2;
	}
	snprintf(ports, sizeof ports, "127.0.0.1:%ss", argv[1]);
	const char *options[] = {
		"listening_ports", ports,
		"ssl_certificate", argv[2],
		"num_threads", argv[3],
		"ssl_protocol_version", "4",
		"ssl_cipher_list", "ECDHE+AESGCM:ECDHE+CHACHA20",
		"enable_keep_alive", "yes",
		"tcp_nodelay", "1",
		"request_timeout_ms", "10000",
		"keep_alive_timeout_ms", "5000",
		"listen_backlog", "512",
		"connection_queue", "256",
		NULL
	};

	/* Block the stop signals before any thread exists, so every thread inherits the mask and
	 * sigwait below receives them. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	if (pthread_sigmask(SIG_BLOCK, &stop, NULL) != 0) {
		fprintf(stderr, "hello: cannot block signals\n");
		goto out;
	}
	signal(SIGPIPE, SIG_IGN);
	if (mg_init_library(MG_FEATURES_TLS) != MG_FEATURES_TLS) {
		fprintf(stderr, "hello: CivetWeb has no TLS support\n");
		goto out;
	}
	memset(&init, 0, sizeof init);
	memset(&error, 0, sizeof error);
	memset(&callbacks, 0, sizeof callbacks);
	init.callbacks = &callbacks;
	init.configuration_options = options;
	error.text = errtext;
	error.text_buffer_size = sizeof errtext;
	ctx = mg_start2(&init, &error);
	if (ctx == NULL) {
		fprintf(stderr, "hello: cannot start: %s\n", errtext);
		goto out;
	}
	mg_set_request_handler(ctx, "/", hello_handler, NULL);
	if (sigwait(&stop, &sig) != 0) {
		fprintf(stderr, "hello: sigwait failed\n");
		goto out;
	}
	rc = 0;
out:
	if (ctx != NULL)
		mg_stop(ctx);
	mg_exit_library();
	return rc;
}
