/*
 * inputs.h: the input manifest. Every file a reconciliation reads is listed
 * with the path it was named by in grant.ini, its SHA-256 and its number of
 * physical lines, so that an auditor can check with sha256sum that the
 * figures came from exactly these bytes.
 */
#ifndef GRANTREC_INPUTS_H
#define GRANTREC_INPUTS_H

#include <stddef.h>

#include "grantrec/diag.h"

enum gr_encoding {
	GR_ENC_UTF8,         /* a leading byte-order mark is accepted */
	GR_ENC_WINDOWS_1252,
};

struct gr_input {
	char *role;       /* "grant", "budget", "ledger tdh", "daily rates", ... */
	char *name;       /* as written in grant.ini, relative to its folder */
	char *path;       /* the path opened (and shown in messages) */
	char sha256[65];  /* lower-case hex */
	long lines;       /* physical lines, the last one with or without '\n' */
};

/* Entries are allocated one by one: a pointer to one stays valid until
 * gr_inputs_release(). */
struct gr_inputs {
	struct gr_input **items;
	size_t count;
	size_t cap;
};

/* Adds an entry and returns it (NULL when out of memory). */
struct gr_input *gr_inputs_add(struct gr_inputs *inputs, const char *role,
                               const char *name, const char *path);
void gr_inputs_release(struct gr_inputs *inputs);

/* Hashes and counts the lines of a whole file (used for grant.ini, which
 * inih reads itself). */
enum gr_status gr_input_hash_file(struct gr_input *input,
                                  struct gr_diags *diags);

#endif
