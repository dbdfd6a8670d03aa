/* Unit tests of the .hash parser and verification (cmocka). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "../hashfile.h"

static char dir[] = "/tmp/hashfile-test-XXXXXX";

static const char *write_file(const char *name, const char *text)
{
	static char buf[4][256];
	static int i;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	FILE *f = fopen(buf[i], "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return buf[i];
}

/* sha256("abc\n") and md5("abc\n") */
#define SHA_ABC "edeaaff3f1774ad2888673770c6d64097e391bc362d7d6fb34982ddf0efd18cb"
#define MD5_ABC "0bee89b07a248e27c83fc3d5951213c1"

static void test_good_file_and_match(void **state)
{
	(void)state;
	struct hash_list l = { 0 };
	const char *h = write_file("a.hash", "# comment\n\nsha256  " SHA_ABC "  abc.txt\n"
					     "md5  " MD5_ABC "  abc.txt\n");
	assert_int_equal(hash_list_load(&l, h), 0);
	assert_int_equal(l.n, 2);
	const char *f = write_file("abc.txt", "abc\n");
	assert_int_equal(hash_verify(&l, f, "abc.txt"), 0);
	hash_list_free(&l);
}

static void test_mismatch(void **state)
{
	(void)state;
	struct hash_list l = { 0 };
	assert_int_equal(hash_list_load(&l, write_file("b.hash", "sha256  " SHA_ABC "  x\n")), 0);
	assert_int_equal(hash_verify(&l, write_file("x", "not abc\n"), "x"), 1);
	hash_list_free(&l);
}

static void test_missing_entry_and_weak_only(void **state)
{
	(void)state;
	struct hash_list l = { 0 };
	assert_int_equal(hash_list_load(&l, write_file("c.hash", "md5  " MD5_ABC "  abc.txt\n")), 0);
	const char *f = write_file("abc.txt", "abc\n");
	assert_int_equal(hash_verify(&l, f, "other"), 2);
	assert_int_equal(hash_verify(&l, f, "abc.txt"), 2); /* md5 alone is not enough */
	hash_list_free(&l);
}

static void test_malformed_lines(void **state)
{
	(void)state;
	struct hash_list l = { 0 };
	assert_int_equal(hash_list_load(&l, write_file("d.hash", "sha256 " SHA_ABC "\n")), -1);
	assert_int_equal(hash_list_load(&l, write_file("e.hash", "crc32  abcd  f\n")), -1);
	assert_int_equal(hash_list_load(&l, write_file("f.hash", "sha256  ABC  f\n")), -1);
	assert_int_equal(hash_list_load(&l, write_file("g.hash", "sha256  " MD5_ABC "  f\n")), -1);
	hash_list_free(&l);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_file_and_match),
		cmocka_unit_test(test_mismatch),
		cmocka_unit_test(test_missing_entry_and_weak_only),
		cmocka_unit_test(test_malformed_lines),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0 && !rc)
		rc = 1;
	return rc;
}
