/*
 * main.c: the grantrec command. Runs the stages in order, prints what the
 * library reports, and chooses the exit code. No business rule lives here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "grantrec/changes.h"
#include "grantrec/grant.h"
#include "grantrec/fx.h"
#include "grantrec/ledger.h"
#include "grantrec/reconcile.h"
#include "grantrec/report.h"
#include "grantrec/tables.h"
#include "books.h"
#include "commands.h"
#include "options.h"
#include "progress_line.h"
#include "base/util.h"

enum {
	EXIT_RECONCILED = 0,
	EXIT_FINDINGS = 1,
	EXIT_INPUT = 2,
	EXIT_SYSTEM = 3,
};

static void print_diags(const struct gr_diags *diags)
{
	progress_line_clear();
	for (size_t i = 0; i < diags->count; i++) {
		const struct gr_diag *d = &diags->items[i];
		const char *sev = d->severity == GR_SEV_ERROR ? "error"
		                : d->severity == GR_SEV_WARNING ? "warning" : "note";
		if (d->file && d->line > 0)
			fprintf(stderr, "%s:%ld: %s: %s\n", d->file, d->line, sev,
			        d->message);
		else if (d->file)
			fprintf(stderr, "%s: %s: %s\n", d->file, sev, d->message);
		else
			fprintf(stderr, "grantrec: %s: %s\n", sev, d->message);
	}
	if (diags->out_of_memory)
		fputs("grantrec: error: out of memory\n", stderr);
	else if (diags->dropped)
		fprintf(stderr, "grantrec: ... and %zu more error%s not shown\n",
		        diags->dropped, diags->dropped == 1 ? "" : "s");
}

static int exit_for(enum gr_status st, const struct gr_diags *diags)
{
	if (st == GR_E_SYSTEM || diags->out_of_memory)
		return EXIT_SYSTEM;
	return st == GR_OK ? 0 : EXIT_INPUT;
}

/* The workbook's default name: the grant reference, made safe as a file
 * name in the current folder. */
static char *default_workbook(const struct gr_grant *g)
{
	const char *base = g->reference && *g->reference ? g->reference : g->name;
	char *name = gr_asprintf("%s.xlsx", base);
	if (!name)
		return NULL;
	for (char *p = name; *p; p++)
		if (*p == '/' || *p == '\\' || (unsigned char)*p < 0x20 ||
		    strchr(":*?\"<>|", *p))
			*p = '_';
	if (name[0] == '.')
		name[0] = '_';
	return name;
}

/* The document's creation time: SOURCE_DATE_EPOCH when set (reproducible
 * builds convention), otherwise the grant's as-of date at midnight UTC, so
 * that the same inputs always give the same bytes. */
static long long created_time(const struct gr_recon *r)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	if (sde && *sde) {
		char *end;
		long long v = strtoll(sde, &end, 10);
		if (*end == '\0' && v >= 0)
			return v;
	}
	return (long long)r->as_of * 86400LL;
}

/* Writes the JSON to a temporary file beside `path` (or to standard
 * output) and leaves it to the caller to commit: the JSON only takes its
 * place once the workbook has. */
static enum gr_status write_json(const char *path, struct gr_output *out,
                                 const struct gr_report_context *ctx,
                                 struct gr_diags *diags)
{
	memset(out, 0, sizeof(*out));
	if (strcmp(path, "-") == 0)
		return gr_report_json(stdout, "standard output", ctx, diags);
	enum gr_status st = gr_output_open(out, path, diags);
	if (st != GR_OK)
		return st;
	st = gr_report_json(out->file, path, ctx, diags);
	if (st != GR_OK)
		gr_output_abort(out);
	return st;
}

static int run(const struct gr_options *opts)
{
	struct gr_diags diags = GR_DIAGS_INIT;
	struct books now, before;
	struct gr_changes changes = {0};
	struct gr_output json_out = {0};
	char *workbook = NULL;
	int code = 0;
	books_init(&now);
	books_init(&before);

	struct gr_recon_request request = {
		.as_of = GR_NO_DATE, .quarter = opts->quarter,
	};
	if (opts->as_of) {
		const char *why = gr_date_parse(&request.as_of, opts->as_of,
		                                GR_DATE_ISO);
		if (why) {
			fprintf(stderr, "grantrec: --as-of '%s': expected %s\n",
			        opts->as_of, why);
			code = EXIT_INPUT;
			goto done;
		}
	}
	progress_line_start(opts->quiet);
	enum gr_status st = books_load(&now, opts->grant_ini, &request, &diags);
	if (st == GR_OK && opts->previous) {
		/* The previous report is the archived books as they were: taken
		 * whole, as of their own latest date. */
		struct gr_recon_request whole = { .as_of = GR_NO_DATE };
		st = books_load(&before, opts->previous, &whole, &diags);
		if (st == GR_OK)
			st = gr_changes_compute(&changes, &before.recon, &now.recon,
			                        &diags);
	}
	if (st != GR_OK) {
		print_diags(&diags);
		code = exit_for(st, &diags);
		goto done;
	}

	struct gr_report_context ctx = {
		.recon = &now.recon, .inputs = &now.inputs,
		.version = GRANTREC_VERSION,
		.changes = opts->previous ? &changes : NULL,
		.rules = &now.rules,
	};
	bool json_to_stdout = opts->json && strcmp(opts->json, "-") == 0;
	bool summary = !opts->quiet && !json_to_stdout;
	/* The summary first, the outputs last, and only then the line that
	 * names them: a failure while printing can leave no file behind, and
	 * the summary never announces a file that was not written. */
	progress_line_clear();
	if (summary && opts->command == GR_CMD_TRANCHES)
		gr_report_tranches(stdout, &ctx);
	else if (summary)
		gr_report_text(stdout, &ctx, (size_t)opts->max_findings);
	if (summary && fflush(stdout) != 0) {
		gr_error(&diags, NULL, 0, "cannot write the summary to standard "
		         "output");
		st = GR_E_SYSTEM;
	}
	if (st == GR_OK && opts->json && opts->command != GR_CMD_CHECK)
		st = write_json(opts->json, &json_out, &ctx, &diags);
	if (st == GR_OK && opts->command == GR_CMD_RECONCILE &&
	    !opts->no_workbook) {
		workbook = opts->workbook ? gr_strdup(opts->workbook)
		                          : default_workbook(&now.grant);
		if (!workbook) {
			gr_error(&diags, NULL, 0, "out of memory");
			st = GR_E_SYSTEM;
		} else {
			st = gr_report_xlsx(workbook, &ctx, created_time(&now.recon),
			                    &diags);
		}
	}
	progress_line_clear();
	/* The JSON takes its place only once the workbook has. */
	if (st == GR_OK && json_out.path)
		st = gr_output_commit(&json_out, &diags);
	else
		gr_output_abort(&json_out);
	if (st != GR_OK) {
		print_diags(&diags);
		code = exit_for(st, &diags);
		goto done;
	}
	if (summary && opts->command == GR_CMD_CHECK) {
		printf("\nChecked %zu files; nothing written.\n", now.inputs.count);
	} else if (summary && (workbook || (opts->json && !json_to_stdout))) {
		printf("\nWrote");
		if (workbook)
			printf(" %s", workbook);
		if (opts->json && !json_to_stdout)
			printf("%s%s", workbook ? " and " : " ", opts->json);
		printf("\n");
	}
	code = opts->strict && now.recon.warnings + now.rules.warnings > 0
	       ? EXIT_FINDINGS : EXIT_RECONCILED;
done:
	progress_line_stop();
	free(workbook);
	gr_changes_release(&changes);
	books_release(&before);
	books_release(&now);
	gr_diags_release(&diags);
	return code;
}

/* The commands that take their own options, each in a file of its own
 * (cmd_<name>.c), called with argv[0] being the command's name. */
static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} own_commands[] = {
	{ NULL, NULL },
};

int main(int argc, char **argv)
{
	gr_alloc_setup();
	for (size_t i = 0; argc > 1 && own_commands[i].name; i++)
		if (strcmp(argv[1], own_commands[i].name) == 0)
			return own_commands[i].run(argc - 1, argv + 1);
	struct gr_options opts;
	int rc = gr_options_parse(&opts, argc, argv);
	if (rc != 0)
		return rc;
	if (opts.version) {
		printf("grantrec %s\n", GRANTREC_VERSION);
		return 0;
	}
	if (opts.help) {
		gr_options_help(stdout, opts.command);
		return 0;
	}
	return run(&opts);
}
