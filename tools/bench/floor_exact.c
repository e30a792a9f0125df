/*
 * floor_exact.c: the "exact-conversion floor" of the benchmark.
 *
 *   floor_exact GRANT_INI
 *
 * The least work a reconciler that converts exactly must do: read every
 * member's ledger with libcsv (the member's delimiter, strict quoting),
 * parse each amount straight into a GMP integer (mpz) with the member's
 * decimal and group marks, parse the date in the member's layout, look up
 * the daily rate of the line's currency (the latest on or before the date,
 * from a table indexed by day), convert amount / rate exactly, round the
 * line half away from zero to the cent and add it to an exact sum (split
 * into inside and outside the grant period).
 *
 * It does nothing else: every member is converted at the daily rate whatever
 * its fx method (so its total is not grantrec's), no text is kept, checked,
 * trimmed or transcoded (amounts, dates and currency codes are ASCII in
 * every encoding the grant allows), no budget, duplicate, finding or output
 * beyond its totals (per member and in all, inside the grant period). grantrec's reconcile without a workbook is
 * measured against this.
 *
 * grant.ini is read with inih: [grant] start, end, daily_rates; per
 * [member x]: ledger, delimiter, decimal, thousands, date_format, col.date,
 * col.amount, col.currency (defaults as in docs/formats.md).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>
#include <gmp.h>
#include <ini.h>

#define MAX_MEMBERS 32
#define MAX_CCY 64
#define PATH_MAX_LEN 4096

enum datefmt { YMD, DMY, MDY };

struct member {
	char id[64];
	char ledger[PATH_MAX_LEN];
	unsigned char delim;
	char decimal;
	char thousands; /* 0: none */
	enum datefmt datefmt;
	char col_date[128], col_amount[128], col_currency[128];
};

struct grant {
	char dir[PATH_MAX_LEN];
	char start[16], end[16], daily[PATH_MAX_LEN];
	struct member members[MAX_MEMBERS];
	size_t member_count;
};

/* ---- dates ------------------------------------------------------------------ */

static long days_from_civil(long y, long m, long d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Three numbers separated by one non-digit each; -1 when malformed. */
static long parse_date(const char *s, enum datefmt f)
{
	long v[3] = {0, 0, 0};
	int k = 0, digits = 0;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			v[k] = v[k] * 10 + (*s - '0');
			digits++;
		} else if (*s == ' ') {
			continue;
		} else {
			if (!digits || ++k > 2)
				return -1;
			digits = 0;
		}
	}
	if (k != 2 || !digits)
		return -1;
	long y, m, d;
	switch (f) {
	case YMD: y = v[0]; m = v[1]; d = v[2]; break;
	case DMY: d = v[0]; m = v[1]; y = v[2]; break;
	default: m = v[0]; d = v[1]; y = v[2]; break;
	}
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	return days_from_civil(y, m, d);
}

/* ---- grant.ini -------------------------------------------------------------- */

/* dir/name into out; false when it does not fit. */
static bool join(char *out, const char *dir, const char *name)
{
	int n;
	if (name[0] == '/' || !dir[0])
		n = snprintf(out, PATH_MAX_LEN, "%s", name);
	else
		n = snprintf(out, PATH_MAX_LEN, "%s/%s", dir, name);
	return n >= 0 && n < PATH_MAX_LEN;
}

static struct member *member_of(struct grant *g, const char *section)
{
	const char *id = section + 6;
	while (*id == ' ')
		id++;
	for (size_t i = 0; i < g->member_count; i++)
		if (strcmp(g->members[i].id, id) == 0)
			return &g->members[i];
	if (g->member_count == MAX_MEMBERS)
		return NULL;
	struct member *m = &g->members[g->member_count++];
	memset(m, 0, sizeof(*m));
	snprintf(m->id, sizeof(m->id), "%s", id);
	m->delim = ',';
	m->decimal = '.';
	strcpy(m->col_date, "date");
	strcpy(m->col_amount, "amount");
	strcpy(m->col_currency, "currency");
	return m;
}

static int ini_key(void *user, const char *section, const char *key,
                   const char *value)
{
	struct grant *g = user;
	if (strcmp(section, "grant") == 0) {
		if (strcmp(key, "start") == 0)
			snprintf(g->start, sizeof(g->start), "%s", value);
		else if (strcmp(key, "end") == 0)
			snprintf(g->end, sizeof(g->end), "%s", value);
		else if (strcmp(key, "daily_rates") == 0)
			return join(g->daily, g->dir, value);
		return 1;
	}
	if (strncmp(section, "member", 6) != 0)
		return 1;
	struct member *m = member_of(g, section);
	if (!m)
		return 0;
	if (strcmp(key, "ledger") == 0) {
		return join(m->ledger, g->dir, value);
	} else if (strcmp(key, "delimiter") == 0) {
		m->delim = strcmp(value, "semicolon") == 0 ? ';'
		         : strcmp(value, "tab") == 0 ? '\t'
		         : strcmp(value, "pipe") == 0 ? '|' : ',';
	} else if (strcmp(key, "decimal") == 0) {
		m->decimal = strcmp(value, "comma") == 0 ? ',' : '.';
	} else if (strcmp(key, "thousands") == 0) {
		m->thousands = strcmp(value, "point") == 0 ? '.'
		             : strcmp(value, "comma") == 0 ? ','
		             : strcmp(value, "space") == 0 ? ' '
		             : strcmp(value, "apostrophe") == 0 ? '\'' : 0;
	} else if (strcmp(key, "date_format") == 0) {
		m->datefmt = strncmp(value, "YYYY", 4) == 0 ? YMD
		           : strncmp(value, "MM", 2) == 0 ? MDY : DMY;
	} else if (strcmp(key, "col.date") == 0) {
		snprintf(m->col_date, sizeof(m->col_date), "%s", value);
	} else if (strcmp(key, "col.amount") == 0) {
		snprintf(m->col_amount, sizeof(m->col_amount), "%s", value);
	} else if (strcmp(key, "col.currency") == 0) {
		snprintf(m->col_currency, sizeof(m->col_currency), "%s", value);
	}
	return 1;
}

/* ---- rates ------------------------------------------------------------------ */

struct rate {
	mpz_t num;      /* the rate's digits: rate = num / 10^places */
	unsigned places;
};

struct rates {
	char codes[MAX_CCY][4];
	size_t ccy_count;
	long first_day, last_day;   /* of the table */
	/* per currency, per day from first_day: index into rates[], or -1 */
	int32_t *by_day[MAX_CCY];
	struct rate *items;
	size_t count, cap;
	/* the rows as read, before the day index is built */
	struct { int ccy; long day; } *rows;
};

static int ccy_index(struct rates *r, const char *code, bool add)
{
	for (size_t i = 0; i < r->ccy_count; i++)
		if (memcmp(r->codes[i], code, 3) == 0)
			return (int)i;
	if (!add || r->ccy_count == MAX_CCY)
		return -1;
	memcpy(r->codes[r->ccy_count], code, 3);
	r->codes[r->ccy_count][3] = '\0';
	return (int)r->ccy_count++;
}

/* ---- amounts ---------------------------------------------------------------- */

static const unsigned long pow10[] = {
	1UL, 10UL, 100UL, 1000UL, 10000UL, 100000UL, 1000000UL, 10000000UL,
	100000000UL, 1000000000UL, 10000000000UL, 100000000000UL,
	1000000000000UL, 10000000000000UL, 100000000000000UL,
};

/* Digits of a number into `digits`, its decimals into *places; false when
 * it is not a number in the member's notation. */
static bool amount_digits(const char *s, char decimal, char thousands,
                          char *digits, size_t cap, unsigned *places,
                          bool *neg)
{
	size_t n = 0;
	bool frac = false;
	*places = 0;
	*neg = false;
	for (; *s; s++) {
		char c = *s;
		if (c >= '0' && c <= '9') {
			if (n + 1 >= cap)
				return false;
			digits[n++] = c;
			if (frac)
				(*places)++;
		} else if (c == decimal && !frac) {
			frac = true;
		} else if (thousands && c == thousands && !frac) {
			continue;
		} else if (c == '-' || c == '(' || c == ')') {
			*neg = true;
		} else if (c != ' ' && c != '+') {
			return false;
		}
	}
	digits[n] = '\0';
	return n > 0 && *places <= 12;
}

/* ---- reading a CSV with libcsv ---------------------------------------------- */

struct reader {
	/* what to do with each record */
	void (*record)(struct reader *);
	/* the fields wanted, by column: copies of the current record's text */
	int want[3];           /* column of date, amount, currency; -1 unknown */
	char field[3][128];
	const char *names[3];  /* header names to look for */
	size_t col;
	bool header;
	bool bad_header;
	unsigned long records;
	/* context */
	struct rates *rates;
	const struct member *member;
	long start, end;
	mpz_t a, t, d, q, r, sum_in, sum_out;
	mpz_t member_in;       /* the current member's lines inside the period */
	unsigned long lines, bad;
};

static void on_field(void *data, size_t len, void *vr)
{
	struct reader *rd = vr;
	const char *s = data ? data : "";
	if (rd->header) {
		for (int k = 0; k < 3; k++)
			if (strlen(rd->names[k]) == len && memcmp(rd->names[k], s, len) == 0)
				rd->want[k] = (int)rd->col;
	} else {
		for (int k = 0; k < 3; k++)
			if (rd->want[k] == (int)rd->col) {
				size_t n = len < sizeof(rd->field[k]) - 1 ? len
				           : sizeof(rd->field[k]) - 1;
				memcpy(rd->field[k], s, n);
				rd->field[k][n] = '\0';
			}
	}
	rd->col++;
}

static void on_record(int c, void *vr)
{
	(void)c;
	struct reader *rd = vr;
	if (rd->header) {
		rd->header = false;
		for (int k = 0; k < 3; k++)
			if (rd->want[k] < 0)
				rd->bad_header = true;
	} else if (rd->col > 1 || rd->field[0][0]) {
		rd->records++;
		rd->record(rd);
	}
	rd->col = 0;
	for (int k = 0; k < 3; k++)
		rd->field[k][0] = '\0';
}

static bool read_csv(const char *path, unsigned char delim, struct reader *rd)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return false;
	}
	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_APPEND_NULL) != 0) {
		fclose(f);
		return false;
	}
	csv_set_delim(&p, delim);
	static char buf[1 << 20];
	size_t n;
	bool first = true, ok = true;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		const char *s = buf;
		if (first && n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
			s += 3;
			n -= 3;
		}
		first = false;
		if (csv_parse(&p, s, n, on_field, on_record, rd) != n) {
			fprintf(stderr, "%s: %s\n", path, csv_strerror(csv_error(&p)));
			ok = false;
			break;
		}
	}
	if (ok)
		csv_fini(&p, on_field, on_record, rd);
	csv_free(&p);
	fclose(f);
	if (rd->bad_header) {
		fprintf(stderr, "%s: a needed column is missing\n", path);
		ok = false;
	}
	return ok;
}

/* daily.csv: date,currency,rate */
static void rate_record(struct reader *rd)
{
	struct rates *r = rd->rates;
	long day = parse_date(rd->field[0], YMD);
	int ci = ccy_index(r, rd->field[2], true);
	char digits[64];
	unsigned places;
	bool neg;
	if (day < 0 || ci < 0 ||
	    !amount_digits(rd->field[1], '.', 0, digits, sizeof(digits), &places,
	                   &neg) || neg) {
		rd->bad++;
		return;
	}
	if (r->count == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 4096;
		void *items = realloc(r->items, cap * sizeof(*r->items));
		void *rows = items ? realloc(r->rows, cap * sizeof(*r->rows)) : NULL;
		if (items)
			r->items = items;
		if (!items || !rows) {
			fputs("floor_exact: out of memory\n", stderr);
			exit(1);
		}
		r->rows = rows;
		r->cap = cap;
	}
	struct rate *it = &r->items[r->count];
	mpz_init_set_str(it->num, digits, 10);
	it->places = places;
	if (mpz_sgn(it->num) <= 0) {
		mpz_clear(it->num);
		rd->bad++;
		return;
	}
	r->rows[r->count].ccy = ci;
	r->rows[r->count].day = day;
	r->count++;
	if (r->count == 1 || day < r->first_day)
		r->first_day = day;
	if (r->count == 1 || day > r->last_day)
		r->last_day = day;
}

/* Each currency's rate of every day: the latest on or before it. */
static bool index_rates(struct rates *r)
{
	long days = r->last_day - r->first_day + 1;
	for (size_t c = 0; c < r->ccy_count; c++) {
		r->by_day[c] = malloc((size_t)days * sizeof(int32_t));
		if (!r->by_day[c])
			return false;
		for (long d = 0; d < days; d++)
			r->by_day[c][d] = -1;
	}
	for (size_t i = 0; i < r->count; i++)
		r->by_day[r->rows[i].ccy][r->rows[i].day - r->first_day] = (int32_t)i;
	for (size_t c = 0; c < r->ccy_count; c++)
		for (long d = 1; d < days; d++)
			if (r->by_day[c][d] < 0)
				r->by_day[c][d] = r->by_day[c][d - 1];
	return true;
}

/* q = round(t / d), half away from zero; uses rd->r. */
static void div_round(struct reader *rd)
{
	mpz_tdiv_qr(rd->q, rd->r, rd->t, rd->d);
	mpz_mul_2exp(rd->r, rd->r, 1);
	if (mpz_cmpabs(rd->r, rd->d) >= 0) {
		if (mpz_sgn(rd->t) < 0)
			mpz_sub_ui(rd->q, rd->q, 1);
		else
			mpz_add_ui(rd->q, rd->q, 1);
	}
}

static void ledger_record(struct reader *rd)
{
	const struct member *m = rd->member;
	struct rates *r = rd->rates;
	char digits[64];
	unsigned places;
	bool neg;
	long day = parse_date(rd->field[0], m->datefmt);
	if (day < 0 || !amount_digits(rd->field[1], m->decimal, m->thousands,
	                              digits, sizeof(digits), &places, &neg) ||
	    places > 6) {
		rd->bad++;
		return;
	}
	mpz_set_str(rd->a, digits, 10);
	if (neg)
		mpz_neg(rd->a, rd->a);
	const char *code = rd->field[2];
	if (strcmp(code, "EUR") == 0) {
		/* cents = amount * 100 / 10^places */
		if (places <= 2) {
			mpz_mul_ui(rd->q, rd->a, pow10[2 - places]);
		} else {
			mpz_set(rd->t, rd->a);
			mpz_set_ui(rd->d, pow10[places - 2]);
			div_round(rd);
		}
	} else {
		int ci = ccy_index(r, code, false);
		if (ci < 0 || day < r->first_day || day > r->last_day ||
		    r->by_day[ci][day - r->first_day] < 0) {
			rd->bad++;
			return;
		}
		const struct rate *k = &r->items[r->by_day[ci][day - r->first_day]];
		/* cents = amount / 10^places / (num / 10^kp) * 100
		 *       = amount * 10^(kp + 2) / (num * 10^places) */
		mpz_mul_ui(rd->t, rd->a, pow10[k->places + 2]);
		mpz_mul_ui(rd->d, k->num, pow10[places]);
		div_round(rd);
	}
	if (day >= rd->start && day <= rd->end) {
		mpz_add(rd->sum_in, rd->sum_in, rd->q);
		mpz_add(rd->member_in, rd->member_in, rd->q);
	} else
		mpz_add(rd->sum_out, rd->sum_out, rd->q);
	rd->lines++;
}

static void reader_reset(struct reader *rd, const char *a, const char *b,
                         const char *c)
{
	rd->names[0] = a;
	rd->names[1] = b;
	rd->names[2] = c;
	for (int k = 0; k < 3; k++) {
		rd->want[k] = -1;
		rd->field[k][0] = '\0';
	}
	rd->col = 0;
	rd->header = true;
	rd->bad_header = false;
	rd->records = 0;
}

static void print_cents(const char *label, const mpz_t cents)
{
	mpz_t ip, fp;
	mpz_inits(ip, fp, NULL);
	mpz_tdiv_qr_ui(ip, fp, cents, 100);
	mpz_abs(fp, fp);
	gmp_printf("%s %s%Zd.%02Zd", label,
	           mpz_sgn(cents) < 0 && mpz_sgn(ip) == 0 ? "-" : "", ip, fp);
	mpz_clears(ip, fp, NULL);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fputs("usage: floor_exact GRANT_INI\n", stderr);
		return 2;
	}
	static struct grant g;
	const char *slash = strrchr(argv[1], '/');
	if (slash)
		snprintf(g.dir, sizeof(g.dir), "%.*s", (int)(slash - argv[1]), argv[1]);
	if (ini_parse(argv[1], ini_key, &g) != 0 || !g.daily[0] || !g.start[0] ||
	    !g.end[0] || g.member_count == 0) {
		fprintf(stderr, "floor_exact: %s: cannot read the grant (start, end, "
		        "daily_rates and one member at least)\n", argv[1]);
		return 2;
	}
	static struct rates rates;
	static struct reader rd;
	rd.rates = &rates;
	rd.start = parse_date(g.start, YMD);
	rd.end = parse_date(g.end, YMD);
	mpz_inits(rd.a, rd.t, rd.d, rd.q, rd.r, rd.sum_in, rd.sum_out,
	          rd.member_in, NULL);

	reader_reset(&rd, "date", "rate", "currency");
	rd.record = rate_record;
	if (!read_csv(g.daily, ',', &rd) || rates.count == 0)
		return 2;
	if (!index_rates(&rates)) {
		fputs("floor_exact: out of memory\n", stderr);
		return 1;
	}
	rd.bad = 0;
	rd.record = ledger_record;
	for (size_t i = 0; i < g.member_count; i++) {
		const struct member *m = &g.members[i];
		rd.member = m;
		mpz_set_ui(rd.member_in, 0);
		reader_reset(&rd, m->col_date, m->col_amount, m->col_currency);
		if (!read_csv(m->ledger, m->delim, &rd))
			return 2;
		printf("member %s", m->id);
		print_cents(" EUR", rd.member_in);
		printf("\n");
	}
	printf("floor_exact: %lu lines (%lu unreadable);", rd.lines, rd.bad);
	print_cents(" inside the period EUR", rd.sum_in);
	print_cents(", outside EUR", rd.sum_out);
	printf(" (every member at daily rates)\n");
	for (size_t i = 0; i < rates.count; i++)
		mpz_clear(rates.items[i].num);
	for (size_t c = 0; c < rates.ccy_count; c++)
		free(rates.by_day[c]);
	free(rates.items);
	free(rates.rows);
	mpz_clears(rd.a, rd.t, rd.d, rd.q, rd.r, rd.sum_in, rd.sum_out,
	           rd.member_in, NULL);
	return rd.bad ? 1 : 0;
}
