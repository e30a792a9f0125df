#include "grantrec/ledger.h"

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "input/columns.h"
#include "grantrec/progress.h"
#include "base/util.h"

void gr_ledger_release(struct gr_ledger *ledger)
{
	if (!ledger)
		return;
	for (size_t i = 0; i < ledger->big_count; i++)
		gr_dec_clear(&ledger->big_amounts[i]);
	free(ledger->big_amounts);
	for (size_t i = 0; i < ledger->texts.count; i++)
		free(ledger->texts.blocks[i]);
	free(ledger->texts.blocks);
	free(ledger->lines);
	free(ledger->sources);
	gr_strset_release(&ledger->budget_lines);
	gr_strset_release(&ledger->countries);
	memset(ledger, 0, sizeof(*ledger));
}

/* Big blocks: one allocation per megabyte of vouchers, not one per line. */
#define TEXT_BLOCK (1u << 20)

static const char *arena_copy(struct gr_text_arena *a, const char *s, size_t n)
{
	size_t need = n + 1;
	if (a->count == 0 || a->used + need > a->block_size) {
		size_t size = need > TEXT_BLOCK ? need : TEXT_BLOCK;
		char *block = gr_malloc(size);
		if (!block || !gr_grow((void **)&a->blocks, &a->cap, a->count + 1,
		                       sizeof(*a->blocks))) {
			free(block);
			return NULL;
		}
		a->blocks[a->count++] = block;
		a->block_size = size;
		a->used = 0;
	}
	char *copy = a->blocks[a->count - 1] + a->used;
	memcpy(copy, s, n);
	copy[n] = '\0';
	a->used += need;
	return copy;
}

/* ---- amounts --------------------------------------------------------------- */

_Static_assert(sizeof(long) == sizeof(int64_t),
               "amounts are moved between int64_t and GMP's signed long");

void gr_line_amount(const struct gr_ledger *ledger, const struct gr_line *line,
                    struct gr_dec *out)
{
	if (line->amount_big) {
		mpz_set(out->coef, ledger->big_amounts[line->amount].coef);
	} else {
		mpz_set_si(out->coef, (long)line->amount);
	}
	out->scale = line->scale;
}

size_t gr_line_digits(const struct gr_ledger *ledger, const struct gr_line *line)
{
	if (line->amount_big)
		return gr_dec_significant_digits(&ledger->big_amounts[line->amount]);
	/* Significant digits of the value as written: the coefficient's digits,
	 * without leading zeros (it has none) and counting trailing ones. */
	uint64_t v = line->amount < 0 ? -(uint64_t)line->amount
	                              : (uint64_t)line->amount;
	size_t digits = 0;
	while (v) {
		digits++;
		v /= 10;
	}
	return digits;
}

char *gr_line_amount_str(char buf[GR_MONEY_BUF], const struct gr_ledger *ledger,
                         const struct gr_line *line)
{
	if (line->amount_big)
		return gr_dec_str(buf, &ledger->big_amounts[line->amount]);
	struct gr_dec d;
	gr_dec_init(&d);
	gr_line_amount(ledger, line, &d);
	gr_dec_str(buf, &d);
	gr_dec_clear(&d);
	return buf;
}

int gr_line_amount_cmp(const struct gr_ledger *ledger, const struct gr_line *x,
                       const struct gr_line *y)
{
	if (!x->amount_big && !y->amount_big && x->scale == y->scale)
		return x->amount < y->amount ? -1 : x->amount > y->amount;
	struct gr_dec a, b;
	gr_dec_init(&a);
	gr_dec_init(&b);
	gr_line_amount(ledger, x, &a);
	gr_line_amount(ledger, y, &b);
	/* Bring both to the larger scale and compare the coefficients. */
	mpz_t pow;
	mpz_init(pow);
	if (a.scale < b.scale) {
		mpz_ui_pow_ui(pow, 10, (unsigned long)(b.scale - a.scale));
		mpz_mul(a.coef, a.coef, pow);
	} else if (b.scale < a.scale) {
		mpz_ui_pow_ui(pow, 10, (unsigned long)(a.scale - b.scale));
		mpz_mul(b.coef, b.coef, pow);
	}
	int c = mpz_cmp(a.coef, b.coef);
	mpz_clear(pow);
	gr_dec_clear(&a);
	gr_dec_clear(&b);
	return c < 0 ? -1 : c > 0;
}

struct loader {
	struct gr_ledger *ledger;
	const struct gr_member *member;
	uint32_t member_index;
	const struct gr_input *input;
	struct gr_diags *diags;
	const char *const *names; /* the member's header names */
	uint32_t source;          /* index in ledger->sources */
	struct gr_dec amount;     /* scratch, reused for every line */
	bool oom;
};

/* The most decimals a local amount may carry before conversion. */
#define LEDGER_MAX_SCALE 6

static void ledger_row(void *vctx, const struct gr_columns *cols,
                       const struct gr_csv_row *row)
{
	struct loader *ld = vctx;
	struct gr_ledger *ledger = ld->ledger;
	const struct gr_profile *p = &ld->member->profile;
	const char *path = ld->input->path;
	struct gr_line line = {
		.member = ld->member_index, .line = (uint32_t)row->line,
		.source = ld->source,
	};
	if (row->line > (long)UINT32_MAX) {
		gr_error(ld->diags, path, row->line, "more lines than grantrec "
		         "counts in one file (%lu): split the export",
		         (unsigned long)UINT32_MAX);
		return;
	}
	bool ok = gr_field_date(&line.date, gr_columns_field(cols, row, GR_COL_DATE),
	                        ld->names[GR_COL_DATE], p->date_format, path,
	                        row->line, ld->diags);
	const char *amount = gr_columns_field(cols, row, GR_COL_AMOUNT);
	const char *why = gr_dec_parse(&ld->amount, amount, p->number,
	                               LEDGER_MAX_SCALE);
	if (why) {
		char q[80];
		const char *hint = why == GR_DEC_NO_GROUPING_POINT
			? "; if the export groups digits, set thousands = comma"
			: why == GR_DEC_NO_GROUPING_COMMA
			? "; if the export groups digits, set thousands = point" : NULL;
		if (hint)
			gr_error(ld->diags, path, row->line,
			         "column '%s': invalid amount '%s': expected %s%s in "
			         "[member %s]", ld->names[GR_COL_AMOUNT],
			         gr_quote_value(q, sizeof(q), amount), why, hint,
			         ld->member->id);
		else
			gr_error(ld->diags, path, row->line,
			         "column '%s': invalid amount '%s': expected %s",
			         ld->names[GR_COL_AMOUNT],
			         gr_quote_value(q, sizeof(q), amount), why);
		ok = false;
	}
	ok = gr_field_currency(line.currency,
	                       gr_columns_field(cols, row, GR_COL_CURRENCY),
	                       ld->names[GR_COL_CURRENCY], path, row->line,
	                       ld->diags) && ok;
	size_t n;
	const char *bl = gr_trim(gr_columns_field(cols, row, GR_COL_BUDGET_LINE), &n);
	if (n == 0) {
		gr_error(ld->diags, path, row->line,
		         "column '%s' is empty: every line needs a budget line",
		         ld->names[GR_COL_BUDGET_LINE]);
		ok = false;
	}
	long bl_id = ok ? gr_strset_intern(&ledger->budget_lines, bl, n) : 0;
	size_t vn;
	const char *voucher = gr_trim(gr_columns_field(cols, row, GR_COL_VOUCHER), &vn);
	if (vn == 0) {
		gr_error(ld->diags, path, row->line,
		         "column '%s' is empty: every line needs a voucher (the "
		         "booking's document number)", ld->names[GR_COL_VOUCHER]);
		ok = false;
	}
	size_t cn;
	const char *country = gr_trim(gr_columns_field(cols, row, GR_COL_COUNTRY), &cn);
	long country_id = ok ? gr_strset_intern(&ledger->countries, country, cn) : 0;
	if (bl_id < 0 || country_id < 0) {
		ld->oom = true;
		ok = false;
	}
	if (!ok)
		return;
	line.budget_line = (uint32_t)bl_id;
	line.country = (uint32_t)country_id;
	line.scale = (uint8_t)ld->amount.scale;
	if (mpz_fits_slong_p(ld->amount.coef)) {
		line.amount = mpz_get_si(ld->amount.coef);
	} else {
		if (!gr_grow((void **)&ledger->big_amounts, &ledger->big_cap,
		             ledger->big_count + 1, sizeof(*ledger->big_amounts))) {
			ld->oom = true;
			return;
		}
		struct gr_dec *big = &ledger->big_amounts[ledger->big_count++];
		gr_dec_init(big);
		mpz_set(big->coef, ld->amount.coef);
		big->scale = ld->amount.scale;
		line.amount = (int64_t)(ledger->big_count - 1);
		line.amount_big = true;
	}
	line.voucher = arena_copy(&ledger->texts, voucher, vn);
	if (!line.voucher ||
	    !gr_grow((void **)&ledger->lines, &ledger->cap, ledger->count + 1,
	             sizeof(*ledger->lines))) {
		ld->oom = true;
		return;
	}
	ledger->lines[ledger->count++] = line;
}

static int name_cmp(const void *a, const void *b)
{
	/* Byte order, not strcoll: the order must not depend on the locale. */
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_csv_suffix(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && (strcmp(name + n - 4, ".csv") == 0 ||
	                 strcmp(name + n - 4, ".CSV") == 0);
}

/* The *.csv files of a folder in name order (hidden files skipped), as
 * names relative to the folder. NULL with *count 0 when there are none. */
static char **list_folder(const char *path, size_t *count, bool *oom)
{
	*count = 0;
	DIR *dir = opendir(path);
	if (!dir)
		return NULL;
	char **names = NULL;
	size_t cap = 0;
	struct dirent *e;
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.' || !has_csv_suffix(e->d_name))
			continue;
		char *copy = gr_strdup(e->d_name);
		if (!copy || !gr_grow((void **)&names, &cap, *count + 1,
		                      sizeof(*names))) {
			free(copy);
			*oom = true;
			break;
		}
		names[(*count)++] = copy;
	}
	closedir(dir);
	if (*count > 1)
		gr_sort(names, *count, sizeof(*names), name_cmp);
	return names;
}

struct ledger_files {
	char **names;  /* as shown in the manifest: entry or entry/file.csv */
	char **paths;
	size_t count, cap;
};

static bool add_file(struct ledger_files *f, char *name, char *path)
{
	size_t cap = f->cap;
	if (!name || !path ||
	    !gr_grow((void **)&f->names, &cap, f->count + 1, sizeof(*f->names)) ||
	    !gr_grow((void **)&f->paths, &f->cap, f->count + 1, sizeof(*f->paths))) {
		free(name);
		free(path);
		return false;
	}
	f->names[f->count] = name;
	f->paths[f->count++] = path;
	return true;
}

static void files_release(struct ledger_files *f)
{
	for (size_t i = 0; i < f->count; i++) {
		free(f->names[i]);
		free(f->paths[i]);
	}
	free(f->names);
	free(f->paths);
}

/* Expands a member's ledger entries: files stay, folders become their
 * *.csv files. An empty folder is an error: a quarter's export missing is
 * exactly what a finance officer needs to hear about. */
static enum gr_status expand_entries(const struct gr_member *member,
                                     struct ledger_files *files,
                                     struct gr_diags *diags)
{
	for (size_t e = 0; e < member->ledger_entry_count; e++) {
		const char *entry = member->ledger_entries[e];
		const char *path = member->ledger_entry_paths[e];
		struct stat st;
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			bool oom = false;
			size_t n;
			char **names = list_folder(path, &n, &oom);
			bool ok = !oom;
			if (ok && n == 0)
				gr_error(diags, path, 0, "the ledger folder of member '%s' "
				         "holds no .csv file", member->id);
			for (size_t i = 0; i < n; i++) {
				const char *sep = entry[strlen(entry) - 1] == '/' ? "" : "/";
				const char *psep = path[strlen(path) - 1] == '/' ? "" : "/";
				if (ok)
					ok = add_file(files, gr_asprintf("%s%s%s", entry, sep,
					                                 names[i]),
					              gr_asprintf("%s%s%s", path, psep, names[i]));
				free(names[i]);
			}
			free(names);
			if (!ok)
				return GR_E_SYSTEM;
			if (n == 0)
				return GR_E_INPUT;
		} else if (!add_file(files, gr_strdup(entry), gr_strdup(path))) {
			return GR_E_SYSTEM;
		}
	}
	return GR_OK;
}

static const char *const column_keys[GR_COL_COUNT] = {
	"col.date", "col.amount", "col.currency", "col.budget_line",
	"col.voucher", "col.country", "col.description",
};

/*
 * Reading in parallel. Each file is read into a part of its own (a ledger
 * with one source, its own ids, texts and messages) by whichever of the
 * threads takes it; the parts are then merged in grant.ini order, so that
 * ids, lines and messages come out exactly as a single thread would give
 * them. Expanding a folder is a job too, one that only carries messages,
 * so that an empty folder is reported where a single thread would.
 */
struct file_job {
	const struct gr_member *member;
	uint32_t member_index;
	struct gr_input *input;      /* NULL: only messages */
	unsigned long long bytes;    /* the file's size, for the progress */
	struct gr_ledger part;
	struct gr_diags diags;
	enum gr_status status;
	bool oom;
};

struct job_queue {
	struct file_job *jobs;
	size_t count;
	atomic_size_t next;
	atomic_ullong bytes_done;    /* of the files read so far */
	unsigned long long bytes;    /* of all the files */
};

struct reader_thread {
	struct job_queue *q;
	bool reports;                /* the main thread tells how far it is */
};

static void read_part(struct file_job *job)
{
	struct gr_ledger *part = &job->part;
	if (!gr_grow((void **)&part->sources, &part->source_cap, 1,
	             sizeof(*part->sources))) {
		job->oom = true;
		return;
	}
	part->sources[0] = (struct gr_ledger_source){
		.input = job->input, .member = job->member_index,
	};
	part->source_count = 1;
	struct loader ld = {
		.ledger = part, .member = job->member,
		.member_index = job->member_index, .input = job->input,
		.diags = &job->diags,
		.names = (const char *const *)job->member->profile.columns,
	};
	gr_dec_init(&ld.amount);
	struct gr_columns cols = {
		.names = ld.names, .count = GR_COL_COUNT,
		.required = GR_COL_REQUIRED, .keys = column_keys,
	};
	struct gr_csv_options options = {
		.delimiter = job->member->profile.delimiter,
		.encoding = job->member->profile.encoding,
	};
	job->status = gr_table_read(job->input, &options, &cols, ledger_row, &ld,
	                            &job->diags);
	gr_dec_clear(&ld.amount);
	part->sources[0].end = part->count;
	job->oom = ld.oom || job->diags.out_of_memory;
}

static void *read_parts(void *arg)
{
	const struct reader_thread *t = arg;
	struct job_queue *q = t->q;
	for (;;) {
		size_t i = atomic_fetch_add(&q->next, 1);
		if (i >= q->count)
			break;
		if (!q->jobs[i].input)
			continue;
		read_part(&q->jobs[i]);
		atomic_fetch_add(&q->bytes_done, q->jobs[i].bytes);
		if (t->reports)
			gr_progress("reading the ledgers", atomic_load(&q->bytes_done),
			            q->bytes);
	}
	return NULL;
}

/* Moves a part's lines to the end of the ledger, its ids renumbered. */
static bool merge_part(struct gr_ledger *ledger, struct gr_ledger *part)
{
	size_t nb = part->budget_lines.count, nc = part->countries.count;
	uint32_t *bl = gr_malloc((nb + nc + 1) * sizeof(*bl));
	if (!bl)
		return false;
	uint32_t *country = bl + nb;
	bool ok = true;
	for (size_t i = 0; ok && i < nb; i++) {
		const char *t = part->budget_lines.strings[i];
		long id = gr_strset_intern(&ledger->budget_lines, t, strlen(t));
		ok = id >= 0;
		bl[i] = (uint32_t)id;
	}
	for (size_t i = 0; ok && i < nc; i++) {
		const char *t = part->countries.strings[i];
		long id = gr_strset_intern(&ledger->countries, t, strlen(t));
		ok = id >= 0;
		country[i] = (uint32_t)id;
	}
	ok = ok &&
		gr_grow((void **)&ledger->lines, &ledger->cap,
		        ledger->count + part->count, sizeof(*ledger->lines)) &&
		gr_grow((void **)&ledger->sources, &ledger->source_cap,
		        ledger->source_count + 1, sizeof(*ledger->sources)) &&
		gr_grow((void **)&ledger->big_amounts, &ledger->big_cap,
		        ledger->big_count + part->big_count,
		        sizeof(*ledger->big_amounts)) &&
		gr_grow((void **)&ledger->texts.blocks, &ledger->texts.cap,
		        ledger->texts.count + part->texts.count,
		        sizeof(*ledger->texts.blocks));
	if (!ok) {
		free(bl);
		return false;
	}
	uint32_t source = (uint32_t)ledger->source_count;
	size_t big_base = ledger->big_count;
	for (size_t i = 0; i < part->count; i++) {
		struct gr_line line = part->lines[i];
		line.budget_line = bl[line.budget_line];
		line.country = country[line.country];
		line.source = source;
		if (line.amount_big)
			line.amount += (int64_t)big_base;
		ledger->lines[ledger->count + i] = line;
	}
	ledger->sources[ledger->source_count++] = (struct gr_ledger_source){
		.input = part->sources[0].input, .member = part->sources[0].member,
		.first = ledger->count, .end = ledger->count + part->count,
	};
	ledger->count += part->count;
	/* The GMP numbers and text blocks change owner, not place. */
	if (part->big_count) {
		memcpy(ledger->big_amounts + big_base, part->big_amounts,
		       part->big_count * sizeof(*part->big_amounts));
		ledger->big_count += part->big_count;
		part->big_count = 0;
	}
	if (part->texts.count) {
		memcpy(ledger->texts.blocks + ledger->texts.count, part->texts.blocks,
		       part->texts.count * sizeof(*part->texts.blocks));
		ledger->texts.count += part->texts.count;
		part->texts.count = 0;
	}
	/* The last block is the part's: a later text gets a block of its own. */
	ledger->texts.used = ledger->texts.block_size = 0;
	free(bl);
	return true;
}

/* Below this many bytes of ledgers, one thread: starting another costs
 * more than it saves, and small runs stay deterministic to the allocation
 * (the out-of-memory tests fail each one in turn). */
#define PARALLEL_MIN_BYTES (1 << 20)

/* Notes each file's size (for the progress) and chooses one thread or two. */
static int reading_threads(struct job_queue *q)
{
	size_t files = 0;
	for (size_t i = 0; i < q->count; i++) {
		struct stat st;
		if (q->jobs[i].input && stat(q->jobs[i].input->path, &st) == 0) {
			q->jobs[i].bytes = (unsigned long long)st.st_size;
			q->bytes += q->jobs[i].bytes;
			files++;
		}
	}
	const char *env = getenv("GRANTREC_THREADS");
	if (env && *env)
		return env[0] == '1' && env[1] == '\0' ? 1 : 2;
	return files > 1 && q->bytes >= PARALLEL_MIN_BYTES ? 2 : 1;
}

enum gr_status gr_ledger_load(struct gr_ledger *ledger,
                              const struct gr_grant *grant,
                              struct gr_inputs *inputs,
                              struct gr_diags *diags)
{
	enum gr_status st = GR_OK;
	/* The empty country is id 0, so that it exists even when unused. */
	if (gr_strset_intern(&ledger->countries, "", 0) < 0) {
		gr_error(diags, NULL, 0, "out of memory");
		return GR_E_SYSTEM;
	}
	struct job_queue q = {0};
	size_t cap = 0;
	bool oom = false;
	for (size_t m = 0; m < grant->member_count && !oom; m++) {
		const struct gr_member *member = &grant->members[m];
		if (!gr_grow((void **)&q.jobs, &cap, q.count + 1, sizeof(*q.jobs))) {
			oom = true;
			break;
		}
		struct file_job *notes = &q.jobs[q.count++];
		*notes = (struct file_job){ .member = member,
		                            .member_index = (uint32_t)m };
		struct ledger_files files = {0};
		notes->status = expand_entries(member, &files, &notes->diags);
		if (notes->status == GR_E_SYSTEM)
			oom = true;
		char role[160];
		snprintf(role, sizeof(role), "ledger %s", member->id);
		for (size_t f = 0; f < files.count && !oom; f++) {
			struct gr_input *in = gr_inputs_add(inputs, role, files.names[f],
			                                    files.paths[f]);
			if (!in || !gr_grow((void **)&q.jobs, &cap, q.count + 1,
			                    sizeof(*q.jobs))) {
				oom = true;
				break;
			}
			q.jobs[q.count++] = (struct file_job){
				.member = member, .member_index = (uint32_t)m, .input = in,
			};
		}
		files_release(&files);
	}
	if (!oom) {
		atomic_init(&q.next, 0);
		atomic_init(&q.bytes_done, 0);
		struct reader_thread main_thread = { .q = &q, .reports = true };
		struct reader_thread other = { .q = &q };
		pthread_t helper;
		bool helped = reading_threads(&q) > 1 &&
		              pthread_create(&helper, NULL, read_parts, &other) == 0;
		read_parts(&main_thread);
		if (helped)
			pthread_join(helper, NULL);
	}
	size_t total = 0;
	for (size_t j = 0; j < q.count; j++)
		total += q.jobs[j].part.count;
	if (!oom && !gr_grow((void **)&ledger->lines, &ledger->cap, total,
	                     sizeof(*ledger->lines)))
		oom = true;
	for (size_t j = 0; j < q.count; j++) {
		struct file_job *job = &q.jobs[j];
		gr_diags_append(diags, &job->diags);
		if (job->status > st)
			st = job->status;
		oom = oom || job->oom;
		if (!oom && job->input && !merge_part(ledger, &job->part))
			oom = true;
		/* What merge_part moved is no longer the part's; the rest (all
		 * of it, when the merge did not happen) goes with it. */
		gr_ledger_release(&job->part);
		gr_diags_release(&job->diags);
	}
	free(q.jobs);
	if (oom) {
		gr_error(diags, NULL, 0, "out of memory");
		return GR_E_SYSTEM;
	}
	return st;
}

/* ---- descriptions, read again for the Ledger sheet ------------------------ */

struct rereader {
	const struct gr_ledger *ledger;
	size_t next, end;       /* the file's stored lines still to meet */
	gr_description_fn fn;
	void *ctx;
	bool stopped;
};

static void description_row(void *vctx, const struct gr_columns *cols,
                            const struct gr_csv_row *row)
{
	struct rereader *rr = vctx;
	if (rr->stopped || rr->next >= rr->end ||
	    rr->ledger->lines[rr->next].line != (uint32_t)row->line)
		return;
	if (!rr->fn(rr->ctx, rr->next,
	            gr_columns_field(cols, row, GR_COL_DESCRIPTION)))
		rr->stopped = true;
	rr->next++;
}

enum gr_status gr_ledger_descriptions(const struct gr_ledger *ledger,
                                      const struct gr_grant *grant,
                                      gr_description_fn fn, void *ctx,
                                      struct gr_diags *diags)
{
	for (size_t f = 0; f < ledger->source_count; f++) {
		const struct gr_ledger_source *src = &ledger->sources[f];
		const struct gr_member *member = &grant->members[src->member];
		/* A copy: the manifest keeps the hash and line count of the
		 * first reading, which the second must match. */
		struct gr_input again = *src->input;
		struct gr_columns cols = {
			.names = (const char *const *)member->profile.columns,
			.count = GR_COL_COUNT, .required = GR_COL_REQUIRED,
			.keys = column_keys,
		};
		struct gr_csv_options options = {
			.delimiter = member->profile.delimiter,
			.encoding = member->profile.encoding,
		};
		struct rereader rr = {
			.ledger = ledger, .next = src->first, .end = src->end,
			.fn = fn, .ctx = ctx,
		};
		enum gr_status st = gr_table_read(&again, &options, &cols,
		                                  description_row, &rr, diags);
		if (st != GR_OK)
			return st;
		if (rr.stopped)
			return GR_OK;   /* the caller stopped it, and knows why */
		if (strcmp(again.sha256, src->input->sha256) != 0 ||
		    rr.next != rr.end) {
			gr_error(diags, src->input->path, 0, "changed while grantrec "
			         "was running (its SHA-256 is now %s; it was %s when its "
			         "figures were computed): run again", again.sha256,
			         src->input->sha256);
			return GR_E_INPUT;
		}
	}
	return GR_OK;
}
