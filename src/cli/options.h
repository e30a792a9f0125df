/*
 * options.h: the command line, parsed into struct gr_options. One table of
 * options drives both getopt_long and --help; docs/grantrec.1 lists the
 * same options (a test checks that every long option is documented).
 */
#ifndef GRANTREC_CLI_OPTIONS_H
#define GRANTREC_CLI_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

enum gr_command {
	GR_CMD_NONE,
	GR_CMD_RECONCILE,
	GR_CMD_CHECK,
	GR_CMD_TRANCHES,
};

struct gr_options {
	enum gr_command command;
	const char *grant_ini;
	const char *workbook;     /* -o; NULL: named after the grant reference */
	bool no_workbook;
	const char *json;         /* --json FILE or "-" */
	bool strict;
	const char *as_of;        /* --as-of YYYY-MM-DD */
	const char *quarter;      /* --quarter N or YYYY-QN */
	const char *previous;     /* --previous PATH (the earlier grant.ini) */
	bool quiet;
	long max_findings;
	bool help;
	bool version;
};

/* Parses argv. Returns 0 to go on, or an exit code (2 for a usage error,
 * after printing why). */
int gr_options_parse(struct gr_options *opts, int argc, char **argv);

void gr_options_help(FILE *out, enum gr_command command);

#endif
