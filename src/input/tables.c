#include "grantrec/tables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/columns.h"
#include "base/util.h"

static void budget_rows_release(struct gr_budget_row *rows, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(rows[i].member_id);
		free(rows[i].budget_line);
		mpz_clear(rows[i].amount);
	}
	free(rows);
}

void gr_tables_release(struct gr_tables *t)
{
	if (!t)
		return;
	budget_rows_release(t->budget, t->budget_count);
	for (size_t i = 0; i < t->revision_count; i++)
		budget_rows_release(t->revisions[i].rows, t->revisions[i].count);
	free(t->revisions);
	for (size_t i = 0; i < t->tranche_count; i++) {
		free(t->tranches[i].name);
		mpz_clear(t->tranches[i].amount);
	}
	free(t->tranches);
	for (size_t i = 0; i < t->disbursement_count; i++)
		mpz_clear(t->disbursements[i].amount);
	free(t->disbursements);
	for (size_t i = 0; i < t->comment_count; i++) {
		free(t->comments[i].budget_line);
		free(t->comments[i].text);
	}
	free(t->comments);
	for (size_t i = 0; i < t->declared_count; i++) {
		free(t->declared[i].quarter);
		mpz_clear(t->declared[i].amount);
	}
	free(t->declared);
	memset(t, 0, sizeof(*t));
}

struct ctx {
	struct gr_tables *tables;
	const struct gr_grant *grant;
	struct gr_diags *diags;
	const char *path;
	bool oom;
	/* the budget table being read: the original or a revision */
	struct gr_budget_row **rows;
	size_t *row_count, *row_cap;
};

static const struct gr_csv_options table_options = {
	.delimiter = ',', .encoding = GR_ENC_UTF8,
};

static char *field_text(struct ctx *c, const struct gr_columns *cols,
                        const struct gr_csv_row *row, size_t i,
                        bool required)
{
	char *s = gr_trim_dup(gr_columns_field(cols, row, i));
	if (!s) {
		c->oom = true;
		return NULL;
	}
	if (required && !*s) {
		gr_error(c->diags, c->path, row->line, "column '%s' is empty",
		         cols->names[i]);
		free(s);
		return NULL;
	}
	return s;
}

/* A member id that must be in grant.ini (disbursements, comments). */
static bool known_member(struct ctx *c, const char *id, long line,
                         size_t *out)
{
	long m = gr_grant_find_member(c->grant, id);
	if (m < 0) {
		char q[80];
		gr_error(c->diags, c->path, line,
		         "column 'member': unknown member '%s': expected the id of "
		         "a [member <id>] section in %s", gr_quote_value(q, sizeof(q), id),
		         c->grant->ini_path);
		return false;
	}
	*out = (size_t)m;
	return true;
}

/* ---- budget.csv ---------------------------------------------------------- */

static void budget_row(void *vctx, const struct gr_columns *cols,
                       const struct gr_csv_row *row)
{
	struct ctx *c = vctx;
	char *member = field_text(c, cols, row, 0, true);
	char *line = field_text(c, cols, row, 1, true);
	mpz_t amount;
	mpz_init(amount);
	bool ok = member && line &&
		gr_field_cents(amount, gr_columns_field(cols, row, 2), "amount",
		               c->path, row->line, c->diags);
	if (ok && mpz_sgn(amount) < 0) {
		gr_error(c->diags, c->path, row->line,
		         "column 'amount': a budget cannot be negative");
		ok = false;
	}
	struct gr_budget_row *rows = *c->rows;
	for (size_t i = 0; ok && i < *c->row_count; i++) {
		if (strcmp(rows[i].member_id, member) == 0 &&
		    strcmp(rows[i].budget_line, line) == 0) {
			gr_error(c->diags, c->path, row->line,
			         "budget line '%s' of member '%s' is given twice (first "
			         "on line %ld)", line, member, rows[i].line);
			ok = false;
		}
	}
	if (ok && !gr_grow((void **)c->rows, c->row_cap, *c->row_count + 1,
	                   sizeof(**c->rows))) {
		c->oom = true;
		ok = false;
	}
	if (!ok) {
		free(member);
		free(line);
		mpz_clear(amount);
		return;
	}
	long m = gr_grant_find_member(c->grant, member);
	struct gr_budget_row *b = &(*c->rows)[(*c->row_count)++];
	b->member = m < 0 ? GR_NO_MEMBER : (size_t)m;
	b->member_id = member;
	b->budget_line = line;
	mpz_init_set(b->amount, amount);
	mpz_clear(amount);
	b->line = row->line;
}

/* ---- tranches.csv -------------------------------------------------------- */

static void tranche_row(void *vctx, const struct gr_columns *cols,
                        const struct gr_csv_row *row)
{
	struct ctx *c = vctx;
	struct gr_tables *t = c->tables;
	char *name = field_text(c, cols, row, 0, true);
	mpz_t amount;
	mpz_init(amount);
	gr_date due = GR_NO_DATE, received = GR_NO_DATE;
	bool ok = name != NULL;
	ok = gr_field_cents(amount, gr_columns_field(cols, row, 1), "amount",
	                    c->path, row->line, c->diags) && ok;
	if (ok && mpz_sgn(amount) <= 0) {
		gr_error(c->diags, c->path, row->line,
		         "column 'amount': a tranche must be above zero");
		ok = false;
	}
	ok = gr_field_date(&due, gr_columns_field(cols, row, 2), "due",
	                   GR_DATE_ISO, c->path, row->line, c->diags) && ok;
	size_t n;
	const char *rec = gr_trim(gr_columns_field(cols, row, 3), &n);
	if (n > 0)
		ok = gr_field_date(&received, rec, "received", GR_DATE_ISO, c->path,
		                   row->line, c->diags) && ok;
	for (size_t i = 0; ok && i < t->tranche_count; i++)
		if (strcmp(t->tranches[i].name, name) == 0) {
			gr_error(c->diags, c->path, row->line,
			         "tranche '%s' is given twice (first on line %ld)", name,
			         t->tranches[i].line);
			ok = false;
		}
	if (ok && !gr_grow((void **)&t->tranches, &t->tranche_cap,
	                   t->tranche_count + 1, sizeof(*t->tranches))) {
		c->oom = true;
		ok = false;
	}
	if (!ok) {
		free(name);
		mpz_clear(amount);
		return;
	}
	struct gr_tranche *tr = &t->tranches[t->tranche_count++];
	tr->name = name;
	mpz_init_set(tr->amount, amount);
	mpz_clear(amount);
	tr->due = due;
	tr->received = received;
	tr->line = row->line;
}

/* ---- disbursements.csv --------------------------------------------------- */

static void disbursement_row(void *vctx, const struct gr_columns *cols,
                             const struct gr_csv_row *row)
{
	struct ctx *c = vctx;
	struct gr_tables *t = c->tables;
	gr_date date = GR_NO_DATE;
	size_t member = 0;
	mpz_t amount;
	mpz_init(amount);
	bool ok = gr_field_date(&date, gr_columns_field(cols, row, 0), "date",
	                        GR_DATE_ISO, c->path, row->line, c->diags);
	char *id = field_text(c, cols, row, 1, true);
	ok = id && known_member(c, id, row->line, &member) && ok;
	if (ok && member == c->grant->lead) {
		gr_error(c->diags, c->path, row->line,
		         "column 'member': '%s' is the lead: disbursements are what "
		         "the lead passes on to the other members", id);
		ok = false;
	}
	free(id);
	ok = gr_field_cents(amount, gr_columns_field(cols, row, 2), "amount",
	                    c->path, row->line, c->diags) && ok;
	if (ok && mpz_sgn(amount) == 0) {
		/* A negative amount is money a member paid back to the lead. */
		gr_error(c->diags, c->path, row->line,
		         "column 'amount': a disbursement of 0.00");
		ok = false;
	}
	if (ok && !gr_grow((void **)&t->disbursements, &t->disbursement_cap,
	                   t->disbursement_count + 1, sizeof(*t->disbursements))) {
		c->oom = true;
		ok = false;
	}
	if (!ok) {
		mpz_clear(amount);
		return;
	}
	struct gr_disbursement *d = &t->disbursements[t->disbursement_count++];
	d->date = date;
	d->member = member;
	mpz_init_set(d->amount, amount);
	mpz_clear(amount);
	d->line = row->line;
}

/* ---- comments.csv -------------------------------------------------------- */

static void comment_row(void *vctx, const struct gr_columns *cols,
                        const struct gr_csv_row *row)
{
	struct ctx *c = vctx;
	struct gr_tables *t = c->tables;
	size_t member = 0;
	char *id = field_text(c, cols, row, 0, true);
	bool ok = id && known_member(c, id, row->line, &member);
	free(id);
	char *line = field_text(c, cols, row, 1, true);
	char *text = field_text(c, cols, row, 2, true);
	ok = ok && line && text;
	for (size_t i = 0; ok && i < t->comment_count; i++)
		if (t->comments[i].member == member &&
		    strcmp(t->comments[i].budget_line, line) == 0) {
			gr_error(c->diags, c->path, row->line,
			         "a second comment for budget line '%s' of member '%s' "
			         "(the first is on line %ld): write one comment",
			         line, c->grant->members[member].id, t->comments[i].line);
			ok = false;
		}
	if (ok && !gr_grow((void **)&t->comments, &t->comment_cap,
	                   t->comment_count + 1, sizeof(*t->comments))) {
		c->oom = true;
		ok = false;
	}
	if (!ok) {
		free(line);
		free(text);
		return;
	}
	t->comments[t->comment_count++] = (struct gr_comment){
		.member = member, .budget_line = line, .text = text,
		.line = row->line,
	};
}

/* ---- declared.csv -------------------------------------------------------- */

static void declared_row(void *vctx, const struct gr_columns *cols,
                         const struct gr_csv_row *row)
{
	struct ctx *c = vctx;
	struct gr_tables *t = c->tables;
	size_t member = 0;
	char *id = field_text(c, cols, row, 0, true);
	bool ok = id && known_member(c, id, row->line, &member);
	free(id);
	char *quarter = field_text(c, cols, row, 1, true);
	mpz_t amount;
	mpz_init(amount);
	ok = quarter && ok;
	ok = gr_field_cents(amount, gr_columns_field(cols, row, 2), "amount",
	                    c->path, row->line, c->diags) && ok;
	for (size_t i = 0; ok && i < t->declared_count; i++)
		if (t->declared[i].member == member &&
		    strcmp(t->declared[i].quarter, quarter) == 0) {
			gr_error(c->diags, c->path, row->line,
			         "a second figure for member '%s' in %s (the first is "
			         "on line %ld)", c->grant->members[member].id, quarter,
			         t->declared[i].line);
			ok = false;
		}
	if (ok && !gr_grow((void **)&t->declared, &t->declared_cap,
	                   t->declared_count + 1, sizeof(*t->declared))) {
		c->oom = true;
		ok = false;
	}
	if (!ok) {
		free(quarter);
		mpz_clear(amount);
		return;
	}
	struct gr_declared *d = &t->declared[t->declared_count++];
	d->member = member;
	d->quarter = quarter;
	mpz_init_set(d->amount, amount);
	mpz_clear(amount);
	d->line = row->line;
}

/* ---- loading ------------------------------------------------------------- */

static enum gr_status load_one(struct ctx *c, const struct gr_file_ref *ref,
                               const char *role, const char *const *names,
                               size_t count, gr_table_row_fn fn,
                               const char **path_out, struct gr_inputs *inputs)
{
	if (!ref->name)
		return GR_OK;
	struct gr_input *in = gr_inputs_add(inputs, role, ref->name, ref->path);
	if (!in) {
		gr_error(c->diags, NULL, 0, "out of memory");
		return GR_E_SYSTEM;
	}
	*path_out = in->path;
	c->path = in->path;
	struct gr_columns cols = {
		.names = names, .count = count, .required = count,
	};
	enum gr_status st = gr_table_read(in, &table_options, &cols, fn, c,
	                                  c->diags);
	if (c->oom) {
		gr_error(c->diags, NULL, 0, "out of memory");
		return GR_E_SYSTEM;
	}
	return st;
}

static enum gr_status worse(enum gr_status a, enum gr_status b)
{
	return a > b ? a : b;
}

static enum gr_status load_revisions(struct ctx *c, struct gr_inputs *inputs,
                                     const char *const *budget_cols)
{
	const struct gr_grant *g = c->grant;
	struct gr_tables *t = c->tables;
	if (g->revision_count == 0)
		return GR_OK;
	t->revisions = gr_calloc(g->revision_count, sizeof(*t->revisions));
	if (!t->revisions) {
		gr_error(c->diags, NULL, 0, "out of memory");
		return GR_E_SYSTEM;
	}
	t->revision_count = g->revision_count;
	enum gr_status st = GR_OK;
	for (size_t i = 0; i < g->revision_count; i++) {
		struct gr_budget_set *set = &t->revisions[i];
		char role[40];
		snprintf(role, sizeof(role), "budget revision %u",
		         g->revisions[i].number);
		set->number = g->revisions[i].number;
		set->approved = g->revisions[i].approved;
		c->rows = &set->rows;
		c->row_count = &set->count;
		c->row_cap = &set->cap;
		st = worse(st, load_one(c, &g->revisions[i].file, role, budget_cols,
		                        3, budget_row, &set->path, inputs));
	}
	return st;
}

struct gr_budget_view gr_budget_original(const struct gr_tables *t)
{
	return (struct gr_budget_view){
		.number = 1, .approved = GR_NO_DATE, .path = t->budget_path,
		.rows = t->budget, .count = t->budget_count,
	};
}

struct gr_budget_view gr_budget_in_force(const struct gr_tables *t,
                                         gr_date day)
{
	struct gr_budget_view v = gr_budget_original(t);
	/* Revisions are sorted by number and approved in that order. */
	for (size_t i = 0; i < t->revision_count; i++) {
		const struct gr_budget_set *set = &t->revisions[i];
		if (day == GR_NO_DATE || set->approved > day)
			break;
		v = (struct gr_budget_view){
			.number = set->number, .approved = set->approved,
			.path = set->path, .rows = set->rows, .count = set->count,
		};
	}
	return v;
}

enum gr_status gr_tables_load(struct gr_tables *tables,
                              const struct gr_grant *grant,
                              struct gr_inputs *inputs,
                              struct gr_diags *diags)
{
	static const char *const budget_cols[] = {"member", "budget_line", "amount"};
	static const char *const tranche_cols[] = {"tranche", "amount", "due", "received"};
	static const char *const disb_cols[] = {"date", "member", "amount"};
	static const char *const comment_cols[] = {"member", "budget_line", "comment"};
	static const char *const declared_cols[] = {"member", "quarter", "amount"};
	struct ctx c = {
		.tables = tables, .grant = grant, .diags = diags,
		.rows = &tables->budget, .row_count = &tables->budget_count,
		.row_cap = &tables->budget_cap,
	};
	enum gr_status st = GR_OK;
	st = worse(st, load_one(&c, &grant->budget, "budget", budget_cols, 3,
	                        budget_row, &tables->budget_path, inputs));
	st = worse(st, load_revisions(&c, inputs, budget_cols));
	st = worse(st, load_one(&c, &grant->tranches, "tranches", tranche_cols, 4,
	                        tranche_row, &tables->tranches_path, inputs));
	st = worse(st, load_one(&c, &grant->disbursements, "disbursements",
	                        disb_cols, 3, disbursement_row,
	                        &tables->disbursements_path, inputs));
	st = worse(st, load_one(&c, &grant->comments, "comments", comment_cols, 3,
	                        comment_row, &tables->comments_path, inputs));
	st = worse(st, load_one(&c, &grant->declared, "declared", declared_cols, 3,
	                        declared_row, &tables->declared_path, inputs));
	return st;
}
