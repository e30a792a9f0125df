/*
 * diag.h: status codes and the diagnostics list.
 *
 * The library never prints. Every stage that reads input appends what it
 * found wrong to a struct gr_diags that the caller owns, each message with
 * the place it points at (file and physical line), and returns a status.
 * Only the CLI decides where messages go and which exit code follows.
 */
#ifndef GRANTREC_DIAG_H
#define GRANTREC_DIAG_H

#include <stdbool.h>
#include <stddef.h>

/* Numbers are stable: scripts and the CLI's exit codes depend on them. */
enum gr_status {
	GR_OK = 0,
	GR_E_INPUT = 2,   /* an input file is missing, unreadable or invalid */
	GR_E_SYSTEM = 3,  /* out of memory, or an output cannot be written */
};

enum gr_severity {
	GR_SEV_ERROR,
	GR_SEV_WARNING,
	GR_SEV_NOTE,
};

struct gr_diag {
	enum gr_severity severity;
	char *file;     /* NULL when the message is not about a file */
	long line;      /* physical line, 1-based; 0 when it names the file */
	char *message;
};

/* Keeps at most GR_DIAGS_KEEP messages; `errors` counts all of them. */
#define GR_DIAGS_KEEP 200

struct gr_diags {
	struct gr_diag *items;
	size_t count;
	size_t cap;
	size_t errors;
	size_t dropped;
	bool out_of_memory;  /* a message could not be kept for lack of memory */
};

#define GR_DIAGS_INIT {0}

void gr_diags_release(struct gr_diags *diags);

/* Appends every message of `src` to `dst`, in order, with its counts. */
void gr_diags_append(struct gr_diags *dst, const struct gr_diags *src);

/* Appends a message; `file` is copied. Allocation failure is recorded as a
 * dropped message and counted, never lost silently: the count stays right. */
void gr_diag_add(struct gr_diags *diags, enum gr_severity severity,
                 const char *file, long line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#define gr_error(d, file, line, ...) \
	gr_diag_add((d), GR_SEV_ERROR, (file), (line), __VA_ARGS__)

/* Copies text for a message: control characters become '?' and the text is
 * cut to `max` bytes with "..." so that one hostile field cannot flood a
 * terminal. Returns `buf`. */
const char *gr_quote_value(char *buf, size_t size, const char *text);

#endif
