/*
 * report.h: the reconciliation written out: the JSON contract, the
 * terminal summary and the XLSX workbook.
 *
 * Writers never compute a figure: everything comes from struct gr_recon
 * and, for the donor's rules, struct gr_rule_results (rules.h).
 * Files are written through gr_output (a temporary name in the target
 * folder, renamed into place only when complete), so that a failed run
 * leaves an existing file untouched and no temporary file behind.
 */
#ifndef GRANTREC_REPORT_H
#define GRANTREC_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "grantrec/diag.h"
#include "grantrec/inputs.h"
#include "grantrec/reconcile.h"

struct gr_changes;
struct gr_rule_results;

struct gr_report_context {
	const struct gr_recon *recon;
	const struct gr_inputs *inputs;
	const char *version;
	const struct gr_changes *changes;  /* --previous, or NULL */
	const struct gr_rule_results *rules;  /* the donor's rules, or NULL */
};

/* ---- atomic output files ------------------------------------------------- */

struct gr_output {
	char *path;      /* the final name */
	char *tmp_path;  /* a unique name beside it */
	FILE *file;      /* open on tmp_path (NULL for writers that open it) */
	bool direct;     /* the target is not a regular file (a device, a
	                    pipe): written in place, tmp_path is NULL */
};

/* Creates the temporary file beside `path` (beside the file a symbolic
 * link names); opens `path` itself when it is a device or a pipe. */
enum gr_status gr_output_open(struct gr_output *out, const char *path,
                              struct gr_diags *diags);
/* Flushes, syncs, closes and renames into place; on any failure removes the
 * temporary file and returns GR_E_SYSTEM. */
enum gr_status gr_output_commit(struct gr_output *out, struct gr_diags *diags);
/* Removes the temporary file; safe to call after commit or twice. */
void gr_output_abort(struct gr_output *out);

/* ---- writers ------------------------------------------------------------- */

/* The JSON contract (docs/json.md) to an open stream; `name` is how a
 * write error names the destination. */
enum gr_status gr_report_json(FILE *out, const char *name,
                              const struct gr_report_context *ctx,
                              struct gr_diags *diags);

/* The readable summary: aligned tables, money with thousands separators. */
void gr_report_text(FILE *out, const struct gr_report_context *ctx,
                    size_t max_findings);

/* The lead member's view: tranches, cash, positions, pre-financing. */
void gr_report_tranches(FILE *out, const struct gr_report_context *ctx);

/* The workbook (docs/workbook.md) to `path`, atomically. `created` is the
 * document's creation time (seconds since the epoch). */
enum gr_status gr_report_xlsx(const char *path,
                              const struct gr_report_context *ctx,
                              long long created, struct gr_diags *diags);

#endif
