/*
 * xlsx_text.c: text made safe for a workbook cell, criteria for SUMIFS, and
 * a growable string for formulas.
 *
 * XML 1.0 allows tab, line feed, carriage return and the code points from
 * U+0020 except surrogates and U+FFFE/U+FFFF. Ledger text is valid UTF-8
 * (the readers check it) but may hold control characters; a cell that held
 * one would make Excel ask to repair the file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "report/xlsx_writer.h"

/* ---- UTF-8 ------------------------------------------------------------------ */

#define REPLACEMENT 0xFFFDu

/* Decodes one code point at s (n bytes left); sets *len to the bytes used.
 * Returns -1 for a byte that does not start a valid sequence (len = 1). */
static long decode(const unsigned char *s, size_t n, size_t *len)
{
	unsigned char c = s[0];
	*len = 1;
	if (c < 0x80)
		return c;
	size_t need;
	unsigned long cp, min;
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1; cp = c & 0x1F; min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2; cp = c & 0x0F; min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3; cp = c & 0x07; min = 0x10000;
	} else {
		return -1;
	}
	if (n < need + 1)
		return -1;
	for (size_t i = 1; i <= need; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	*len = need + 1;
	return (long)cp;
}

static size_t encode(char *out, unsigned long cp)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

static size_t units_of(unsigned long cp)
{
	return cp >= 0x10000 ? 2 : 1;
}

size_t xw_utf16_units(const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t n = strlen(text), units = 0;
	while (n > 0) {
		size_t len;
		long cp = decode(p, n, &len);
		units += cp < 0 ? 1 : units_of((unsigned long)cp);
		p += len;
		n -= len;
	}
	return units;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

/* "_xHHHH_" at p: what OOXML readers decode as an escaped character. */
static bool x_escape_at(const char *p)
{
	return p[0] == '_' && (p[1] == 'x' || p[1] == 'X') && is_hex(p[2]) &&
	       is_hex(p[3]) && is_hex(p[4]) && is_hex(p[5]) && p[6] == '_';
}

/* ---- cleaning --------------------------------------------------------------- */

bool xw_clean_text(struct xw_clean *out, const char *text, size_t max_units)
{
	memset(out, 0, sizeof(*out));
	if (!text)
		text = "";
	size_t n = strlen(text);
	/* Each input byte gives at most 3 output bytes (U+24xx, U+FFFD). */
	char *buf = gr_malloc(3 * n + 4);
	if (!buf)
		return false;
	const unsigned char *p = (const unsigned char *)text;
	size_t o = 0, units = 0;
	size_t cut_at = 0;           /* bytes that fit before the ellipsis */
	bool cut_known = false;
	while (n > 0) {
		size_t len;
		long cp = decode(p, n, &len);
		unsigned long c;
		if (cp < 0 || cp == 0xFFFE || cp == 0xFFFF) {
			c = REPLACEMENT;
			out->replaced++;
		} else if (cp == '\r') {
			c = '\n';
			if (n > 1 && p[1] == '\n')
				len = 2;     /* CR LF: one line feed */
		} else if (cp < 0x20 && cp != '\t' && cp != '\n') {
			c = 0x2400u + (unsigned long)cp;  /* U+2401 for 0x01, ... */
			out->replaced++;
		} else {
			c = (unsigned long)cp;
		}
		if (!cut_known && units + units_of(c) > max_units - 1) {
			cut_at = o;
			cut_known = true;
		}
		units += units_of(c);
		o += encode(buf + o, c);
		p += len;
		n -= len;
	}
	buf[o] = '\0';
	out->units = units;
	if (units > max_units) {
		/* Cut, and end with U+2026 so that a reader sees it is cut. */
		o = cut_at + encode(buf + cut_at, 0x2026u);
		buf[o] = '\0';
		out->cut = true;
	}
	for (const char *q = buf; *q; q++)
		if (x_escape_at(q)) {
			out->x_escape = true;
			break;
		}
	out->text = buf;
	return true;
}

void xw_clean_release(struct xw_clean *clean)
{
	free(clean->text);
	clean->text = NULL;
}

char *xw_cell_text(const struct xw_clean *clean)
{
	if (!clean->x_escape)
		return clean->text;
	size_t count = 0, n = strlen(clean->text);
	for (const char *q = clean->text; *q; q++)
		count += x_escape_at(q);
	char *buf = gr_malloc(n + 6 * count + 1);
	if (!buf)
		return NULL;
	size_t o = 0;
	for (const char *q = clean->text; *q; q++) {
		if (x_escape_at(q)) {
			memcpy(buf + o, "_x005F", 6);   /* "_" written as _x005F_ */
			o += 6;
		}
		buf[o++] = *q;
	}
	buf[o] = '\0';
	return buf;
}

/* ---- case folding ----------------------------------------------------------- */

static unsigned long fold(unsigned long c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c < 0x80)
		return c;
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 32;
	if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
		return c | 1;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		return (c & 1) ? c + 1 : c;
	if (c == 0x178)
		return 0xFF;
	if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2)
		return c + 32;
	if (c >= 0x410 && c <= 0x42F)
		return c + 32;
	if (c >= 0x400 && c <= 0x40F)
		return c + 80;
	return c;
}

char *xw_fold_key(const char *clean)
{
	size_t n = strlen(clean);
	char *buf = gr_malloc(4 * n + 1);
	if (!buf)
		return NULL;
	const unsigned char *p = (const unsigned char *)clean;
	size_t o = 0;
	while (n > 0) {
		size_t len;
		long cp = decode(p, n, &len);
		o += encode(buf + o, fold(cp < 0 ? REPLACEMENT : (unsigned long)cp));
		p += len;
		n -= len;
	}
	buf[o] = '\0';
	return buf;
}

/* ---- a growable string ------------------------------------------------------- */

static bool reserve(struct xw_buf *b, size_t more)
{
	if (b->oom)
		return false;
	if (b->len + more + 1 <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + more + 1)
		cap *= 2;
	char *s = gr_realloc(b->s, cap);
	if (!s) {
		b->oom = true;
		return false;
	}
	b->s = s;
	b->cap = cap;
	return true;
}

void xw_buf_reset(struct xw_buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void xw_buf_add(struct xw_buf *b, const char *s)
{
	size_t n = strlen(s);
	if (!reserve(b, n))
		return;
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

void xw_buf_addf(struct xw_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = true;
		return;
	}
	if (!reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void xw_buf_release(struct xw_buf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

/* ---- criteria --------------------------------------------------------------- */

bool xw_add_criterion(struct xw_buf *b, const char *clean)
{
	size_t specials = 0;
	for (const char *q = clean; *q; q++) {
		if (x_escape_at(q))
			return false;
		specials += *q == '*' || *q == '?' || *q == '~';
	}
	if (1 + xw_utf16_units(clean) + specials > XW_LITERAL_UNITS)
		return false;
	if (!reserve(b, 2 * strlen(clean) + 4))
		return true;  /* b->oom is set; the caller fails the run */
	b->s[b->len++] = '"';
	b->s[b->len++] = '=';
	for (const char *q = clean; *q; q++) {
		if (*q == '*' || *q == '?' || *q == '~')
			b->s[b->len++] = '~';
		if (*q == '"')
			b->s[b->len++] = '"';
		b->s[b->len++] = *q;
	}
	b->s[b->len++] = '"';
	b->s[b->len] = '\0';
	return true;
}
