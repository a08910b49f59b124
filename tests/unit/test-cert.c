/* The certificate PDF: a well-formed file whose QR code, rasterised as a
   printer or a phone camera would see it, scans back to the URL; and the
   fields it refuses.  pdftoppm (poppler-utils) and zbarimg (zbar-tools)
   come from scripts/install-deps: without them the test fails. */
#include <cairo.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cert.h"
#include "unit.h"

void test_cert_pdf(void);
void test_cert_refuses(void);

#define CERT_URL "http://127.0.0.1:8080/verify/VA-2026-0001"

static const struct cert sample = {
	.name = "Zo\xc3\xab O'Brien-\xc5\x81ukasz",
	.category = "IMHM-C",
	.category_title = "Infant Mental Health Mentor - Clinical",
	.association = "Virginia Association for Infant Mental Health",
	.number = "VA-2026-0001",
	.since = "2026-03-04",
	.url = CERT_URL,
};

/* Run a command; its standard output into b, and its exit status. */
static int
run(const char *cmd, struct buf *b)
{
	FILE	*f;
	char	 chunk[512];
	size_t	 n;
	int	 st;

	if ((f = popen(cmd, "r")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(b, chunk, n);
	st = pclose(f);
	if (st == -1 || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* Does the PDF start and end as one should (a line end may follow)? */
static int
looks_like_pdf(const struct buf *b)
{
	size_t	 len = b->len;

	if (len < 5 || memcmp(b->s, "%PDF-", 5) != 0)
		return 0;
	while (len > 0 && (b->s[len - 1] == '\n' || b->s[len - 1] == '\r'))
		len--;
	return len >= 5 + 5 && memcmp(b->s + len - 5, "%%EOF", 5) == 0;
}

void
test_cert_pdf(void)
{
	struct cert	 c = sample;
	struct buf	 pdf, got;
	char		 file[] = "/tmp/endorse-cert-XXXXXX";
	char		 cmd[256], png[64];
	char		*cause = NULL;
	int		 fd, st;

	buf_init(&pdf);
	CHECK(cert_pdf(&c, &pdf, &cause) == 0);
	CHECK(cause == NULL);
	if (cause != NULL)
		printf("#   cause: %s\n", cause);
	free(cause);
	CHECK(looks_like_pdf(&pdf));

	/* Rasterise at 150 dpi and scan the page for its code. */
	if ((fd = mkstemp(file)) == -1) {
		CHECK(!"mkstemp");
		buf_free(&pdf);
		return;
	}
	CHECK(write(fd, pdf.s, pdf.len) == (ssize_t)pdf.len);
	close(fd);
	snprintf(png, sizeof png, "%s-page", file);
	snprintf(cmd, sizeof cmd, "pdftoppm -r 150 -png -singlefile '%s' '%s'",
	    file, png);
	buf_init(&got);
	st = run(cmd, &got);
	if (st != 0)
		printf("#   pdftoppm: exit %d (scripts/install-deps installs "
		    "poppler-utils)\n", st);
	CHECK(st == 0);
	buf_free(&got);

	buf_init(&got);
	snprintf(cmd, sizeof cmd, "zbarimg --nodbus --raw -q '%s.png'", png);
	st = run(cmd, &got);
	if (st != 0)
		printf("#   zbarimg: exit %d (scripts/install-deps installs "
		    "zbar-tools)\n", st);
	CHECK(st == 0);
	while (got.len > 0 && (got.s[got.len - 1] == '\n' ||
	    got.s[got.len - 1] == '\r'))
		got.s[--got.len] = '\0';
	CHECK_STR(got.s, CERT_URL);
	buf_free(&got);

	unlink(file);
	snprintf(cmd, sizeof cmd, "%s.png", png);
	unlink(cmd);
	buf_free(&pdf);

	/* A name far too long for the page is set small and clipped. */
	buf_init(&got);
	for (fd = 0; fd < 400; fd++)
		buf_puts(&got, "Zo\xc3\xab ");
	c.name = got.s;
	buf_init(&pdf);
	CHECK(cert_pdf(&c, &pdf, &cause) == 0);
	free(cause);
	CHECK(looks_like_pdf(&pdf));
	buf_free(&pdf);
	buf_free(&got);

	cert_release();
}

void
test_cert_refuses(void)
{
	struct cert	 c;
	struct buf	 pdf, url;
	char		*cause;

	buf_init(&pdf);
	buf_puts(&pdf, "before");

	c = sample;
	c.number = NULL;
	cause = NULL;
	CHECK(cert_pdf(&c, &pdf, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "number") != NULL);
	free(cause);

	c = sample;
	c.name = "";
	cause = NULL;
	CHECK(cert_pdf(&c, &pdf, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "name") != NULL);
	free(cause);

	c = sample;
	c.name = "Zo\xeb";		/* Latin-1, not UTF-8 */
	cause = NULL;
	CHECK(cert_pdf(&c, &pdf, &cause) == -1);
	CHECK_STR(cause, "certificate name is not valid UTF-8");
	free(cause);

	c = sample;
	c.since = "2026-02-30";
	cause = NULL;
	CHECK(cert_pdf(&c, &pdf, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "since") != NULL);
	free(cause);

	/* A URL too long for a code that scans: refused, out untouched. */
	buf_init(&url);
	buf_puts(&url, "http://127.0.0.1:8080/verify/");
	while (url.len < 800)
		buf_puts(&url, "abcdefghijklmnopqrstuvwxyz");
	c = sample;
	c.url = url.s;
	cause = NULL;
	CHECK(cert_pdf(&c, &pdf, &cause) == -1);
	CHECK(cause != NULL && strstr(cause, "url") != NULL);
	free(cause);
	buf_free(&url);

	CHECK_STR(pdf.s, "before");
	buf_free(&pdf);
}
