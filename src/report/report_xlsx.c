/*
 * report_xlsx.c: the reconciliation as an XLSX workbook (docs/workbook.md).
 *
 * The file is written to a temporary name beside the target (gr_output),
 * checked to be a complete zip, synced, and renamed into place; on any error
 * the temporary file is removed and an existing file at the target is left
 * as it was. Nothing depends on the clock: the document's creation time is
 * the `created` argument, libxlsxwriter stamps zip entries with a fixed
 * date, and every list is written in the order of struct gr_recon.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "report/xlsx_writer.h"

/* Ledger rows per sheet: Excel's 1,048,576 rows minus the header. */
#define XW_LEDGER_ROWS ((size_t)LXW_ROW_MAX - 1)

/* The ledger switches to ZIP64 when its XML could pass 4 GB. */
#define XW_ZIP64_LINES 5000000

/* ---- a temporary file that outlives an exit() ------------------------------- */

/* The core's allocation hook ends the process with exit(3) when GMP cannot
 * allocate (GMP has no way to fail softly). An exit() in the middle of the
 * writer must not leave the temporary file behind: remove it at exit. */
static const char *pending_tmp;

static void remove_pending_tmp(void)
{
	if (pending_tmp)
		unlink(pending_tmp);
}

static void track_tmp(const char *path)
{
	static bool registered;
	if (!registered)
		registered = atexit(remove_pending_tmp) == 0;
	pending_tmp = path;
}

/* ---- labels used as criteria ------------------------------------------------ */

struct fold_entry {
	char *key;
	size_t index;
};

static int fold_cmp(const void *a, const void *b)
{
	const struct fold_entry *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->index < y->index ? -1 : x->index > y->index);
}

/*
 * Cleans the labels and marks those SUMIFS cannot match on their own: two
 * different texts that differ only in case (criteria ignore case), and
 * texts too long for a criterion. Those are compared with EXACT() instead.
 */
static bool prepare_labels(struct xw *w, struct xw_label **out,
                           const char *const *texts, size_t n)
{
	struct xw_label *labels = gr_calloc(n ? n : 1, sizeof(*labels));
	struct fold_entry *keys = gr_calloc(n ? n : 1, sizeof(*keys));
	*out = labels;
	bool ok = labels && keys;
	for (size_t i = 0; ok && i < n; i++) {
		ok = xw_clean_text(&labels[i].clean, texts[i], XW_CELL_UNITS);
		if (!ok)
			break;
		xw_buf_reset(&w->f2);
		labels[i].exact = !xw_add_criterion(&w->f2, labels[i].clean.text);
		keys[i].index = i;
		keys[i].key = xw_fold_key(labels[i].clean.text);
		ok = keys[i].key != NULL && !w->f2.oom;
	}
	if (ok) {
		qsort(keys, n, sizeof(*keys), fold_cmp);
		for (size_t i = 1; i < n; i++) {
			if (strcmp(keys[i - 1].key, keys[i].key) != 0)
				continue;
			struct xw_label *a = &labels[keys[i - 1].index];
			struct xw_label *b = &labels[keys[i].index];
			if (strcmp(a->clean.text, b->clean.text) != 0)
				a->exact = b->exact = true;
		}
	}
	if (keys)
		for (size_t i = 0; i < n; i++)
			free(keys[i].key);
	free(keys);
	return ok;
}

static void release_labels(struct xw_label *labels, size_t n)
{
	if (!labels)
		return;
	for (size_t i = 0; i < n; i++)
		xw_clean_release(&labels[i].clean);
	free(labels);
}

static bool prepare(struct xw *w)
{
	const struct gr_recon *r = w->r;
	size_t M = r->grant->member_count;
	size_t n = M;
	if (r->line_count > n)
		n = r->line_count;
	if (r->country_count > n)
		n = r->country_count;
	const char **texts = gr_malloc((n ? n : 1) * sizeof(*texts));
	if (!texts)
		return false;
	bool ok = true;
	for (size_t i = 0; i < M; i++)
		texts[i] = r->grant->members[i].id;
	ok = prepare_labels(w, &w->members, texts, M) && ok;
	for (size_t i = 0; i < r->line_count; i++)
		texts[i] = r->lines[i].name;
	ok = prepare_labels(w, &w->lines, texts, r->line_count) && ok;
	for (size_t i = 0; i < r->country_count; i++)
		texts[i] = r->countries[i].name;
	ok = prepare_labels(w, &w->countries, texts, r->country_count) && ok;
	free(texts);
	w->bva_sub_row = gr_calloc(M ? M : 1, sizeof(*w->bva_sub_row));
	char from[11], to[11];
	snprintf(w->cumulative_head, sizeof(w->cumulative_head),
	         "cumulative to %s", gr_date_iso(to, r->as_of));
	w->has_quarter = r->quarter >= 0 && (size_t)r->quarter < r->quarter_count;
	if (w->changes && !(w->previous_name = xw_previous_name(w)))
		return false;
	if (w->has_quarter) {
		const struct gr_period_result *q = &r->quarters[r->quarter];
		snprintf(w->quarter_head, sizeof(w->quarter_head), "%s, %s to %s",
		         q->label, gr_date_iso(from, q->from), gr_date_iso(to, q->to));
	}
	return ok && w->bva_sub_row;
}

/* ---- workbook set-up ----------------------------------------------------------- */

static lxw_format *fmt(struct xw *w)
{
	lxw_format *f = workbook_add_format(w->wb);
	if (!f)
		w->oom = true;
	return f;
}

#define MONEY_FORMAT "#,##0.00;[Red]-#,##0.00"

static void make_formats(struct xw *w)
{
	lxw_format *f;
	if ((f = w->title = fmt(w))) {
		format_set_bold(f);
		format_set_font_size(f, 14);
	}
	if ((f = w->h2 = fmt(w))) {
		format_set_bold(f);
		format_set_font_size(f, 12);
		format_set_font_color(f, 0x1F4E79);
	}
	if ((f = w->note = fmt(w))) {
		format_set_italic(f);
		format_set_font_color(f, 0x595959);
	}
	if ((f = w->note_wrap = fmt(w))) {
		format_set_italic(f);
		format_set_font_color(f, 0x595959);
		format_set_text_wrap(f);
		format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	}
	if ((f = w->text_wrap = fmt(w))) {
		format_set_text_wrap(f);
		format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	}
	if ((f = w->header = fmt(w))) {
		format_set_bold(f);
		format_set_bg_color(f, 0xDDEBF7);
		format_set_bottom(f, LXW_BORDER_THIN);
		format_set_text_wrap(f);
		format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	}
	if ((f = w->header_num = fmt(w))) {
		format_set_bold(f);
		format_set_bg_color(f, 0xDDEBF7);
		format_set_bottom(f, LXW_BORDER_THIN);
		format_set_text_wrap(f);
		format_set_align(f, LXW_ALIGN_RIGHT);
		format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	}
	if ((f = w->bold = fmt(w)))
		format_set_bold(f);
	if ((f = w->wrap = fmt(w)))  /* bottom-aligned, like the row's figures */
		format_set_text_wrap(f);
	if ((f = w->money = fmt(w)))
		format_set_num_format(f, MONEY_FORMAT);
	if ((f = w->money_sub = fmt(w))) {
		format_set_num_format(f, MONEY_FORMAT);
		format_set_bold(f);
		format_set_bg_color(f, 0xF2F2F2);
	}
	if ((f = w->money_total = fmt(w))) {
		format_set_num_format(f, MONEY_FORMAT);
		format_set_bold(f);
		format_set_top(f, LXW_BORDER_THIN);
		format_set_bottom(f, LXW_BORDER_DOUBLE);
	}
	if ((f = w->pct = fmt(w)))
		format_set_num_format(f, "0.00");
	if ((f = w->pct_sub = fmt(w))) {
		format_set_num_format(f, "0.00");
		format_set_bold(f);
		format_set_bg_color(f, 0xF2F2F2);
	}
	if ((f = w->pct_total = fmt(w))) {
		format_set_num_format(f, "0.00");
		format_set_bold(f);
		format_set_top(f, LXW_BORDER_THIN);
		format_set_bottom(f, LXW_BORDER_DOUBLE);
	}
	if ((f = w->text_sub = fmt(w))) {
		format_set_bold(f);
		format_set_bg_color(f, 0xF2F2F2);
	}
	if ((f = w->text_total = fmt(w))) {
		format_set_bold(f);
		format_set_top(f, LXW_BORDER_THIN);
		format_set_bottom(f, LXW_BORDER_DOUBLE);
	}
	/* Dates and line numbers centred, apart from the figures beside. */
	if ((f = w->date = fmt(w))) {
		format_set_num_format(f, "yyyy-mm-dd");
		format_set_align(f, LXW_ALIGN_CENTER);
	}
	if ((f = w->date_left = fmt(w))) {   /* beside text values */
		format_set_num_format(f, "yyyy-mm-dd");
		format_set_align(f, LXW_ALIGN_LEFT);
	}
	if ((f = w->month = fmt(w))) {
		format_set_num_format(f, "yyyy-mm");
		format_set_align(f, LXW_ALIGN_CENTER);
	}
	if ((f = w->integer = fmt(w))) {
		format_set_num_format(f, "0");
		format_set_align(f, LXW_ALIGN_CENTER);
	}
	if ((f = w->count = fmt(w)))
		format_set_num_format(f, "#,##0");
	if ((f = w->indent = fmt(w)))
		format_set_indent(f, 1);
	if ((f = w->rate = fmt(w)))
		format_set_num_format(f, "#,##0.0000######");
	if ((f = w->mono = fmt(w))) {
		format_set_font_name(f, "Courier New");
		format_set_font_size(f, 9);
	}
	if ((f = w->check = fmt(w)))
		format_set_align(f, LXW_ALIGN_CENTER);
	if ((f = w->cf_over = fmt(w)))
		format_set_bg_color(f, 0xFFF2CC);
	if ((f = w->cf_missing = fmt(w))) {
		format_set_bg_color(f, 0xF8CBAD);
		format_set_font_color(f, 0x9C0006);
	}
	if ((f = w->cf_ok = fmt(w))) {
		format_set_font_color(f, 0x006100);
		format_set_bg_color(f, 0xC6EFCE);
	}
	if ((f = w->cf_bad = fmt(w))) {
		format_set_font_color(f, 0x9C0006);
		format_set_bg_color(f, 0xFFC7CE);
	}
	/* Ledger amounts keep their own decimals: 0-2 as money, more as
	 * written. */
	for (int s = 0; s <= 12; s++) {
		if (s <= 2) {
			w->amount_scale[s] = w->money;
			continue;
		}
		char code[80];
		snprintf(code, sizeof(code), "#,##0.%.*s;[Red]-#,##0.%.*s", s,
		         "000000000000", s, "000000000000");
		if ((f = w->amount_scale[s] = fmt(w)))
			format_set_num_format(f, code);
	}
}

static lxw_worksheet *sheet(struct xw *w, const char *name)
{
	lxw_worksheet *ws = workbook_add_worksheet(w->wb, name);
	/* In constant_memory mode a sheet is a temporary file: failing to
	 * add one is rarely a lack of memory. */
	if (!ws && w->error == LXW_NO_ERROR)
		w->error = LXW_ERROR_CREATING_TMPFILE;
	return ws;
}

static size_t ledger_rows_per_sheet(void)
{
	/* Test hook (docs/workbook.md): a smaller sheet, so that tests can
	 * exercise "Ledger (2)" without a million lines. */
	const char *env = getenv("GRANTREC_XLSX_LEDGER_ROWS");
	if (env && *env) {
		char *end;
		unsigned long long v = strtoull(env, &end, 10);
		if (*end == '\0' && v >= 1 && v <= XW_LEDGER_ROWS)
			return (size_t)v;
	}
	return XW_LEDGER_ROWS;
}

static void make_sheets(struct xw *w)
{
	size_t count = w->r->ledger->count;
	w->ledger_rows = ledger_rows_per_sheet();
	w->ledger_sheets = count ? (count + w->ledger_rows - 1) / w->ledger_rows
	                         : 1;
	w->ledger = gr_calloc(w->ledger_sheets, sizeof(*w->ledger));
	w->ledger_ref = gr_calloc(w->ledger_sheets, sizeof(*w->ledger_ref));
	if (!w->ledger || !w->ledger_ref) {
		w->oom = true;
		return;
	}
	w->summary = sheet(w, "Summary");
	w->bva = sheet(w, "Budget vs Actual");
	w->funds = sheet(w, "Funds");
	w->country_ws = sheet(w, "Countries");
	w->quarters = sheet(w, "Quarters");
	if (w->changes)
		w->changes_ws = sheet(w, "Changes");
	w->fx = sheet(w, "FX");
	for (size_t s = 0; s < w->ledger_sheets && !w->oom &&
	     w->error == LXW_NO_ERROR; s++) {
		char name[32];
		if (s == 0)
			snprintf(name, sizeof(name), "Ledger");
		else
			snprintf(name, sizeof(name), "Ledger (%zu)", s + 1);
		w->ledger[s] = sheet(w, name);
		w->ledger_ref[s] = s == 0 ? gr_strdup("Ledger!")
		                          : gr_asprintf("'%s'!", name);
		if (!w->ledger_ref[s])
			w->oom = true;
	}
	w->findings = sheet(w, "Findings");
	w->charts = sheet(w, "Charts");
	if (w->oom || w->error != LXW_NO_ERROR)
		return;
	/* The grant's parameters, by name, for the formulas of every sheet. */
	static const struct { const char *name; int row; } names[] = {
		{"GrantStart", SR_START}, {"GrantEnd", SR_END},
		{"GrantAmount", SR_AMOUNT}, {"Threshold", SR_THRESHOLD},
		{"AsOf", SR_AS_OF},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char ref[32];
		snprintf(ref, sizeof(ref), "=Summary!$B$%d", names[i].row + 1);
		xw_check(w, workbook_define_name(w->wb, names[i].name, ref));
	}
	/* --quarter: the quarter's own figures are sums between these. */
	static const struct { const char *name; int row; } qnames[] = {
		{"QuarterFrom", SR_QUARTER_FROM}, {"QuarterTo", SR_QUARTER_TO},
	};
	for (size_t i = 0; w->has_quarter && i < 2; i++) {
		char ref[32];
		snprintf(ref, sizeof(ref), "=Summary!$B$%d", qnames[i].row + 1);
		xw_check(w, workbook_define_name(w->wb, qnames[i].name, ref));
	}
}

/* A document property: cleaned, within Excel's 255 characters. */
static char *property_text(struct xw *w, const char *text)
{
	struct xw_clean c;
	if (!xw_clean_text(&c, text ? text : "", 255)) {
		w->oom = true;
		return NULL;
	}
	return c.text;
}

static void set_properties(struct xw *w, long long created)
{
	const struct gr_grant *g = w->r->grant;
	/* 0 means "now" to libxlsxwriter: the earliest second stands in for
	 * it, and the range stays within what gmtime() and Excel accept. */
	if (created < 1)
		created = 1;
	if (created > 253402300799LL)   /* 9999-12-31T23:59:59Z */
		created = 253402300799LL;
	char *title = gr_asprintf("Grant reconciliation %s",
	                          g->reference && *g->reference ? g->reference
	                                                        : g->name);
	char *author = gr_asprintf("grantrec %s", w->version);
	char *t = title ? property_text(w, title) : NULL;
	char *s = property_text(w, g->name);
	char *a = author ? property_text(w, author) : NULL;
	char *d = property_text(w, g->donor);
	if (!t || !s || !a || !d) {
		w->oom = true;
	} else {
		static char comments[] = "Budget and expenditure reconciliation; "
			"the input files and their SHA-256 are in the custom "
			"properties and on the Summary sheet.";
		static char keywords[] = "grant reconciliation";
		lxw_doc_properties props = {
			.title = t, .subject = s, .author = a, .company = d,
			.comments = comments, .keywords = keywords,
			.created = (time_t)created,
		};
		xw_check(w, workbook_set_properties(w->wb, &props));
	}
	free(title);
	free(author);
	free(t);
	free(s);
	free(a);
	free(d);

	/* The input manifest, as on the Summary. */
	xw_check(w, workbook_set_custom_property_string(w->wb, "grantrec version",
	                                                w->version));
	for (size_t i = 0; i < w->inputs->count && !w->oom; i++) {
		const struct gr_input *in = w->inputs->items[i];
		char *name = gr_asprintf("input %zu: %s", i + 1, in->role);
		char *value = gr_asprintf("sha256=%s lines=%ld file=%s", in->sha256,
		                          in->lines, in->name);
		char *n = name ? property_text(w, name) : NULL;
		char *v = value ? property_text(w, value) : NULL;
		if (n && v)
			xw_check(w, workbook_set_custom_property_string(w->wb, n, v));
		else
			w->oom = true;
		free(name);
		free(value);
		free(n);
		free(v);
	}
}

/* ---- the file --------------------------------------------------------------- */

/* A complete zip ends with its end-of-central-directory record: a run cut
 * short by a full disk ends without one. */
static bool complete_zip(const char *path, bool zip64, int *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		*err = errno;
		return false;
	}
	unsigned char eocd[22];
	bool ok = fseek(f, 0, SEEK_END) == 0;
	long size = ok ? ftell(f) : -1;
	ok = ok && size >= 22 && fseek(f, size - 22, SEEK_SET) == 0 &&
	     fread(eocd, 1, sizeof(eocd), f) == sizeof(eocd);
	ok = ok && memcmp(eocd, "PK\x05\x06", 4) == 0 && eocd[20] == 0 &&
	     eocd[21] == 0;
	if (ok && !zip64) {
		unsigned long cd_size = (unsigned long)eocd[12] |
		                        (unsigned long)eocd[13] << 8 |
		                        (unsigned long)eocd[14] << 16 |
		                        (unsigned long)eocd[15] << 24;
		unsigned long cd_offset = (unsigned long)eocd[16] |
		                          (unsigned long)eocd[17] << 8 |
		                          (unsigned long)eocd[18] << 16 |
		                          (unsigned long)eocd[19] << 24;
		ok = cd_offset + cd_size + 22 == (unsigned long)size;
	}
	if (ok && fsync(fileno(f)) != 0) {
		*err = errno;
		ok = false;
	} else if (!ok) {
		*err = EIO;
	}
	fclose(f);
	return ok;
}

static void release(struct xw *w)
{
	const struct gr_recon *r = w->r;
	release_labels(w->members, r->grant->member_count);
	release_labels(w->lines, r->line_count);
	release_labels(w->countries, r->country_count);
	free(w->bva_sub_row);
	free(w->previous_name);
	free(w->fx_rows);
	free(w->ledger);
	if (w->ledger_ref)
		for (size_t s = 0; s < w->ledger_sheets; s++)
			free(w->ledger_ref[s]);
	free(w->ledger_ref);
	for (size_t i = 0; i < w->note_count; i++) {
		free(w->notes[i].file);
		free(w->notes[i].message);
	}
	free(w->notes);
	xw_buf_release(&w->f);
	xw_buf_release(&w->f2);
}

static bool failed(const struct xw *w)
{
	return w->oom || w->error != LXW_NO_ERROR || w->diags->errors > 0;
}

/* Copies the finished workbook to a device or pipe (gr_output's direct
 * mode), which cannot be renamed into place. */
static bool copy_to(FILE *to, const char *from, int *err)
{
	FILE *f = fopen(from, "rb");
	if (!f) {
		*err = errno;
		return false;
	}
	char buf[65536];
	size_t n;
	bool ok = true;
	while (ok && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		ok = fwrite(buf, 1, n, to) == n;
	if (ok && ferror(f))
		ok = false;
	if (!ok)
		*err = errno ? errno : EIO;
	fclose(f);
	return ok;
}

enum gr_status gr_report_xlsx(const char *path,
                              const struct gr_report_context *ctx,
                              long long created, struct gr_diags *diags)
{
	size_t errors_before = diags->errors;
	struct gr_output out;
	enum gr_status st = gr_output_open(&out, path, diags);
	if (st != GR_OK)
		return st;

	struct xw w = {
		.r = ctx->recon, .inputs = ctx->inputs, .version = ctx->version,
		.changes = ctx->changes,
		.rules = ctx->rules,
	};
	/* Only this run's errors count below. */
	struct gr_diags mine = GR_DIAGS_INIT;
	w.diags = &mine;
	char *dir = NULL;          /* libxlsxwriter's scratch files go here */
	char *scratch = NULL;      /* direct mode: the workbook before the copy */
	const char *work;          /* the file libxlsxwriter writes */
	int err = 0;
	if (out.direct) {
		const char *tmp = getenv("TMPDIR");
		dir = gr_strdup(tmp && *tmp ? tmp : "/tmp");
		scratch = dir ? gr_asprintf("%s/grantrec-XXXXXX", dir) : NULL;
		int fd = scratch ? mkstemp(scratch) : -1;
		if (fd < 0) {
			err = errno;
			free(scratch);
			scratch = NULL;
			goto fail;
		}
		close(fd);
		work = scratch;
	} else {
		/* libxlsxwriter opens the file by name: close our handle. */
		fclose(out.file);
		out.file = NULL;
		dir = gr_path_dir(out.path);
		work = out.tmp_path;
	}
	track_tmp(work);
	if (!dir || !prepare(&w)) {
		w.oom = true;
		goto fail;
	}
	lxw_workbook_options options = {
		.constant_memory = LXW_TRUE,
		/* Scratch files beside the output (libxlsxwriter unlinks them
		 * as it creates them), not in a /tmp that may be small. */
		.tmpdir = dir,
		.use_zip64 = w.r->ledger->count > XW_ZIP64_LINES,
	};
	w.wb = workbook_new_opt(work, &options);
	if (!w.wb) {
		w.error = LXW_ERROR_CREATING_XLSX_FILE;
		goto fail;
	}
	set_properties(&w, created);
	make_formats(&w);
	make_sheets(&w);
	/* Each sheet refers only to positions recorded by those before it. */
	void (*const writers[])(struct xw *) = {
		xw_sheet_budget, xw_sheet_funds, xw_sheet_countries,
		xw_sheet_quarters, xw_sheet_fx, xw_sheet_changes, xw_sheet_ledger,
		xw_sheet_summary, xw_sheet_charts, xw_sheet_findings,
	};
	for (size_t i = 0; i < sizeof(writers) / sizeof(writers[0]); i++) {
		if (failed(&w))
			goto fail;
		writers[i](&w);
	}
	if (failed(&w))
		goto fail;
	lxw_error closed = workbook_close(w.wb);
	w.wb = NULL;
	if (closed != LXW_NO_ERROR) {
		w.error = closed;
		goto fail;
	}
	if (!complete_zip(work, options.use_zip64, &err))
		goto fail;
	if (scratch) {
		bool copied = copy_to(out.file, scratch, &err);
		unlink(scratch);
		if (!copied)
			goto fail;
	}
	pending_tmp = NULL;  /* from here on, gr_output removes it on error */
	free(scratch);
	free(dir);
	release(&w);
	gr_diags_release(&mine);
	return gr_output_commit(&out, diags);

fail:
	if (w.wb)
		lxw_workbook_free(w.wb);  /* frees without writing the file */
	if (scratch)
		unlink(scratch);
	gr_output_abort(&out);
	pending_tmp = NULL;
	if (w.oom)
		gr_error(diags, NULL, 0, "out of memory");
	else if (mine.count)
		for (size_t i = 0; i < mine.count; i++)
			gr_error(diags, path, 0, "cannot write: %s",
			         mine.items[i].message);
	else if (w.error != LXW_NO_ERROR)
		gr_error(diags, path, 0, "cannot write: %s", lxw_strerror(w.error));
	else if (err)
		gr_error(diags, path, 0, "cannot write: %s", strerror(err));
	if (diags->errors == errors_before)
		gr_error(diags, path, 0, "cannot write: the workbook is incomplete");
	/* An input that changed under the run is the input's problem. */
	enum gr_status failed = w.input_failed ? GR_E_INPUT : GR_E_SYSTEM;
	free(scratch);
	free(dir);
	release(&w);
	gr_diags_release(&mine);
	return failed;
}
