#include "options.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct option_doc {
	struct option opt;
	int short_name;
	const char *arg;
	const char *help;
	int commands;
};

enum {
	OPT_JSON = 256, OPT_STRICT, OPT_NO_WORKBOOK, OPT_FINDINGS, OPT_AS_OF,
	OPT_QUARTER, OPT_PREVIOUS,
};

/* Which commands take an option. */
enum { FOR_RECONCILE = 1, FOR_CHECK = 2, FOR_TRANCHES = 4, FOR_ALL = 7 };

static const struct option_doc docs[] = {
	{{"output", required_argument, NULL, 'o'}, 'o', "FILE",
	 "write the workbook to FILE (default: <reference>.xlsx here)",
	 FOR_RECONCILE},
	{{"no-workbook", no_argument, NULL, OPT_NO_WORKBOOK}, 0, NULL,
	 "do not write a workbook", FOR_RECONCILE},
	{{"json", required_argument, NULL, OPT_JSON}, 0, "FILE",
	 "write the result as JSON to FILE ('-': standard output)",
	 FOR_RECONCILE | FOR_TRANCHES},
	{{"as-of", required_argument, NULL, OPT_AS_OF}, 0, "DATE",
	 "count only what is dated on or before DATE (YYYY-MM-DD)", FOR_ALL},
	{{"quarter", required_argument, NULL, OPT_QUARTER}, 0, "Q",
	 "one quarter beside the cumulative figures (N, or YYYY-QN)",
	 FOR_RECONCILE | FOR_CHECK},
	{{"previous", required_argument, NULL, OPT_PREVIOUS}, 0, "INI",
	 "compare with the reconciliation of an earlier grant.ini",
	 FOR_RECONCILE},
	{{"strict", no_argument, NULL, OPT_STRICT}, 0, NULL,
	 "exit 1 when there are findings (warnings)", FOR_ALL},
	{{"findings", required_argument, NULL, OPT_FINDINGS}, 0, "N",
	 "show at most N findings in the summary (default 20)",
	 FOR_RECONCILE | FOR_CHECK},
	{{"quiet", no_argument, NULL, 'q'}, 'q', NULL,
	 "print no summary, only errors", FOR_ALL},
	{{"help", no_argument, NULL, 'h'}, 'h', NULL, "show this help", FOR_ALL},
	{{"version", no_argument, NULL, 'V'}, 'V', NULL,
	 "show the version", FOR_ALL},
};

#define NDOCS (sizeof(docs) / sizeof(docs[0]))

void gr_options_help(FILE *out, enum gr_command command)
{
	switch (command) {
	case GR_CMD_RECONCILE:
		fputs("usage: grantrec reconcile [GRANT_INI] [options]\n\n"
		      "Reconciles the grant described by GRANT_INI (default:\n"
		      "ledgers/grant.ini): converts every ledger line to the grant\n"
		      "currency, compares actual with budget and tranches, and writes\n"
		      "the workbook, the JSON and a summary.\n\n", out);
		break;
	case GR_CMD_CHECK:
		fputs("usage: grantrec check [GRANT_INI] [options]\n\n"
		      "Reads and validates every input of the grant and reports\n"
		      "errors and findings; writes no file.\n\n", out);
		break;
	case GR_CMD_TRANCHES:
		fputs("usage: grantrec tranches [GRANT_INI] [options]\n\n"
		      "The lead member's view of the money: each tranche with its\n"
		      "status and days overdue, what was received, passed on and is\n"
		      "outstanding, every member's funds position, and how the\n"
		      "outstanding tranches would be shared out among the members\n"
		      "that pre-financed, never past the grant ceiling.\n\n", out);
		break;
	default:
		fputs("usage: grantrec <command> [GRANT_INI] [options]\n\n"
		      "Commands:\n"
		      "  reconcile   reconcile a grant; write workbook, JSON, summary\n"
		      "  check       validate every input; write nothing\n"
		      "  tranches    the lead member's view: tranches, positions, "
		      "pre-financing\n\n"
		      "'grantrec <command> --help' shows a command's options;\n"
		      "'man grantrec' the whole manual.\n\n", out);
		break;
	}
	fputs("Options:\n", out);
	for (size_t i = 0; i < NDOCS; i++) {
		const struct option_doc *d = &docs[i];
		int bit = command == GR_CMD_RECONCILE ? FOR_RECONCILE
		        : command == GR_CMD_CHECK ? FOR_CHECK
		        : command == GR_CMD_TRANCHES ? FOR_TRANCHES : FOR_ALL;
		if (!(d->commands & bit))
			continue;
		char left[64];
		if (d->short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", d->short_name,
			         d->opt.name, d->arg ? " " : "", d->arg ? d->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", d->opt.name,
			         d->arg ? " " : "", d->arg ? d->arg : "");
		fprintf(out, "  %-24s %s\n", left, d->help);
	}
	fputs("\nExit status: 0 reconciled; 1 findings (with --strict); 2 bad "
	      "input or usage;\n3 an output cannot be written or the system "
	      "failed.\n", out);
}

__attribute__((format(printf, 1, 2)))
static int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("grantrec: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'grantrec --help'.\n", stderr);
	return 2;
}

int gr_options_parse(struct gr_options *opts, int argc, char **argv)
{
	memset(opts, 0, sizeof(*opts));
	opts->grant_ini = "ledgers/grant.ini";
	opts->max_findings = 20;
	int first = 1;
	if (argc > 1 && argv[1][0] != '-') {
		if (strcmp(argv[1], "reconcile") == 0)
			opts->command = GR_CMD_RECONCILE;
		else if (strcmp(argv[1], "check") == 0)
			opts->command = GR_CMD_CHECK;
		else if (strcmp(argv[1], "tranches") == 0)
			opts->command = GR_CMD_TRANCHES;
		else
			return usage_error("unknown command '%s': expected reconcile, "
			                   "check or tranches", argv[1]);
		first = 2;
	}
	struct option longopts[NDOCS + 1];
	char shortopts[32] = "+";
	size_t s = 1;
	for (size_t i = 0; i < NDOCS; i++) {
		longopts[i] = docs[i].opt;
		if (docs[i].short_name) {
			shortopts[s++] = (char)docs[i].short_name;
			if (docs[i].arg)
				shortopts[s++] = ':';
		}
	}
	shortopts[s] = '\0';
	memset(&longopts[NDOCS], 0, sizeof(longopts[NDOCS]));

	/* getopt permutes nothing ('+'): options and the one operand may come
	 * in any order, so parse in rounds around operands. */
	int argc2 = argc - first + 1;
	char **argv2 = argv + first - 1;
	const char *operand = NULL;
	optind = 1;
	opterr = 0;
	for (;;) {
		int c = getopt_long(argc2, argv2, shortopts, longopts, NULL);
		if (c == -1) {
			if (optind < argc2) {
				if (operand)
					return usage_error("more than one grant.ini given "
					                   "('%s')", argv2[optind]);
				operand = argv2[optind++];
				continue;
			}
			break;
		}
		switch (c) {
		case 'o': opts->workbook = optarg; break;
		case OPT_NO_WORKBOOK: opts->no_workbook = true; break;
		case OPT_JSON: opts->json = optarg; break;
		case OPT_STRICT: opts->strict = true; break;
		case OPT_AS_OF: opts->as_of = optarg; break;
		case OPT_QUARTER: opts->quarter = optarg; break;
		case OPT_PREVIOUS: opts->previous = optarg; break;
		case OPT_FINDINGS: {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end || end == optarg || n < 0)
				return usage_error("--findings expects a number, not '%s'",
				                   optarg);
			opts->max_findings = n;
			break;
		}
		case 'q': opts->quiet = true; break;
		case 'h': opts->help = true; break;
		case 'V': opts->version = true; break;
		case '?':
		default:
			if (optopt && optopt < 256)
				return usage_error("unknown option '-%c'", optopt);
			return usage_error("unknown or incomplete option '%s'",
			                   argv2[optind - 1]);
		}
	}
	if (operand)
		opts->grant_ini = operand;
	if (opts->help || opts->version)
		return 0;
	/* Options that belong to other commands are refused, not ignored. */
	int bit = opts->command == GR_CMD_RECONCILE ? FOR_RECONCILE
	        : opts->command == GR_CMD_CHECK ? FOR_CHECK : FOR_TRANCHES;
	const char *given[] = {
		opts->workbook ? "output" : NULL,
		opts->no_workbook ? "no-workbook" : NULL,
		opts->json ? "json" : NULL,
		opts->quarter ? "quarter" : NULL,
		opts->previous ? "previous" : NULL,
		opts->max_findings != 20 ? "findings" : NULL,
	};
	for (size_t i = 0; i < sizeof(given) / sizeof(given[0]); i++) {
		if (!given[i] || opts->command == GR_CMD_NONE)
			continue;
		for (size_t k = 0; k < NDOCS; k++)
			if (strcmp(docs[k].opt.name, given[i]) == 0 &&
			    !(docs[k].commands & bit))
				return usage_error("--%s does not apply to 'grantrec %s'",
				                   given[i],
				                   opts->command == GR_CMD_CHECK ? "check"
				                                                 : "tranches");
	}
	if (opts->as_of && opts->quarter)
		return usage_error("%s", "give --as-of or --quarter, not both (a "
		                   "quarter is reconciled as of its last day)");
	if (opts->command == GR_CMD_NONE && !opts->help && !opts->version)
		return usage_error("%s", "no command given: expected reconcile, check "
		                   "or tranches");
	return 0;
}
