/* Unit tests of the libkconfig API (cmocka): values on demand, user values
 * clamped by visibility, select, choices, two configurations side by side,
 * file round trips and errors naming file:line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "../kconfig.h"

static char dir[] = "/tmp/kconfig-test-XXXXXX";

static const char *path(const char *name)
{
	static char buf[4][256];
	static int i;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

static void write_file(const char *name, const char *text)
{
	FILE *f = fopen(path(name), "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *read_all(const char *name)
{
	FILE *f = fopen(path(name), "r");
	assert_non_null(f);
	static char buf[8192];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return buf;
}

static struct kconfig *load(const char *text)
{
	write_file("Kconfig", text);
	char *err = NULL;
	FILE *quiet = fopen("/dev/null", "w");
	struct kconfig_options o = { .warn = quiet };
	struct kconfig *kc = kconfig_load(path("Kconfig"), &o, &err);
	if (!kc)
		fail_msg("load failed: %s", err);
	return kc;
}

static const char *value(struct kconfig *kc, const char *name)
{
	struct kconfig_symbol *s = kconfig_find(kc, name);
	assert_non_null(s);
	return kconfig_sym_str_value(kc, s);
}

static void test_defaults_and_dependencies(void **state)
{
	(void)state;
	struct kconfig *kc = load("config A\n\tbool \"a\"\n\tdefault y\n"
				  "config B\n\tbool \"b\"\n\tdefault y\n\tdepends on !A\n"
				  "config N\n\tint \"n\"\n\trange 1 5\n\tdefault 9\n");
	assert_string_equal(value(kc, "A"), "y");
	assert_string_equal(value(kc, "B"), "n");
	assert_string_equal(value(kc, "N"), "5"); /* clamped by the range */
	assert_int_equal(kconfig_sym_visibility(kc, kconfig_find(kc, "B")), KCONFIG_N);
	kconfig_free(kc);
}

static void test_user_value_clamped_by_visibility(void **state)
{
	(void)state;
	struct kconfig *kc = load("config A\n\tbool \"a\"\n"
				  "config B\n\tbool \"b\"\n\tdepends on A\n");
	struct kconfig_symbol *b = kconfig_find(kc, "B");
	assert_int_equal(kconfig_sym_set_value(kc, b, "y"), 0);
	assert_string_equal(value(kc, "B"), "n");
	assert_int_equal(kconfig_sym_set_value(kc, kconfig_find(kc, "A"), "y"), 0);
	assert_string_equal(value(kc, "B"), "y");
	assert_int_equal(kconfig_sym_set_value(kc, b, "maybe"), -1);
	assert_non_null(strstr(kconfig_error(kc), "not a valid bool value"));
	kconfig_free(kc);
}

static void test_select_overrides_and_choice(void **state)
{
	(void)state;
	struct kconfig *kc = load("config S\n\tbool \"s\"\n\tselect T\n"
				  "config T\n\tbool \"t\"\n"
				  "choice\n\tprompt \"c\"\n\tdefault C2\n"
				  "config C1\n\tbool \"c1\"\nconfig C2\n\tbool \"c2\"\nendchoice\n");
	assert_string_equal(value(kc, "C2"), "y");
	assert_string_equal(value(kc, "C1"), "n");
	assert_int_equal(kconfig_sym_set_value(kc, kconfig_find(kc, "C1"), "y"), 0);
	assert_string_equal(value(kc, "C1"), "y");
	assert_string_equal(value(kc, "C2"), "n");
	assert_int_equal(kconfig_sym_set_value(kc, kconfig_find(kc, "S"), "y"), 0);
	assert_string_equal(value(kc, "T"), "y");
	kconfig_free(kc);
}

static void test_menu_tree_for_front_ends(void **state)
{
	(void)state;
	struct kconfig *kc = load("mainmenu \"T\"\n"
				  "menu \"M\"\n"
				  "config A\n\tbool \"a\"\n"
				  "config B\n\tbool \"b\"\n\tdepends on A\n\thelp\n\t  Bee.\n"
				  "config S\n\tbool \"s\"\n\tselect A\n"
				  "config N\n\tint \"n\"\n\trange 2 4\n"
				  "endmenu\n"
				  "choice\n\tprompt \"c\"\nconfig C1\n\tbool \"c1\"\n"
				  "config C2\n\tbool \"c2\"\nendchoice\n");
	struct kconfig_menu *root = kconfig_menu_root(kc);
	struct kconfig_menu *menu = kconfig_menu_list(root);
	assert_int_equal(kconfig_menu_kind(menu), KCONFIG_NODE_MENU);
	assert_string_equal(kconfig_menu_prompt(menu), "M");
	assert_ptr_equal(kconfig_menu_parent(menu), root);
	/* B depends on the entry before it: nested under A (6.1 menu_finalize) */
	struct kconfig_menu *a = kconfig_menu_list(menu);
	assert_string_equal(kconfig_sym_name(kconfig_menu_sym(a)), "A");
	struct kconfig_menu *b = kconfig_menu_list(a);
	assert_non_null(b);
	assert_string_equal(kconfig_menu_help(b), "Bee.\n");
	assert_false(kconfig_menu_visible(kc, b));
	assert_ptr_equal(kconfig_sym_menu(kconfig_find(kc, "B")), b);
	/* why B cannot be enabled: A, which the user can change */
	struct kconfig_symbol *unmet[4];
	assert_int_equal(kconfig_unmet_symbols(kc, kconfig_find(kc, "B"), unmet, 4), 1);
	assert_ptr_equal(unmet[0], kconfig_find(kc, "A"));
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_int_equal(kconfig_describe(kc, b, f), 0);
	fclose(f);
	assert_non_null(strstr(text, "Symbol: CONFIG_B [=n]"));
	assert_non_null(strstr(text, "Depends on: CONFIG_A [=n]"));
	assert_non_null(strstr(text, "- CONFIG_A is n: you can enable it"));
	assert_non_null(strstr(text, "Value : no default applies"));
	free(text);
	/* values mconf allows: A selected by S is forced; N within its range */
	struct kconfig_symbol *as = kconfig_find(kc, "A"), *n = kconfig_find(kc, "N");
	assert_true(kconfig_sym_settable(kc, as, "y"));
	assert_int_equal(kconfig_sym_set_value(kc, kconfig_find(kc, "S"), "y"), 0);
	assert_false(kconfig_sym_settable(kc, as, "n"));
	const char *lo, *hi;
	assert_true(kconfig_sym_range(kc, n, &lo, &hi));
	assert_string_equal(lo, "2");
	assert_string_equal(hi, "4");
	assert_true(kconfig_sym_settable(kc, n, "3"));
	assert_false(kconfig_sym_settable(kc, n, "5"));
	assert_false(kconfig_sym_settable(kc, n, "x"));
	/* the choice and the member in force */
	struct kconfig_menu *ch = kconfig_menu_next(menu);
	assert_int_equal(kconfig_menu_kind(ch), KCONFIG_NODE_CHOICE);
	assert_ptr_equal(kconfig_choice_selection(kc, kconfig_menu_sym(ch)), kconfig_find(kc, "C1"));
	assert_int_equal(kconfig_sym_set_value(kc, kconfig_find(kc, "C2"), "y"), 0);
	assert_ptr_equal(kconfig_choice_selection(kc, kconfig_menu_sym(ch)), kconfig_find(kc, "C2"));
	kconfig_free(kc);
}

static void test_two_configurations_in_one_process(void **state)
{
	(void)state;
	struct kconfig *a = load("config X\n\tbool \"x\"\n");
	struct kconfig *b = load("config X\n\tbool \"x\"\n\tdefault y\n");
	assert_string_equal(value(a, "X"), "n");
	assert_string_equal(value(b, "X"), "y");
	kconfig_sym_set_value(a, kconfig_find(a, "X"), "y");
	kconfig_sym_set_value(b, kconfig_find(b, "X"), "n");
	assert_string_equal(value(a, "X"), "y");
	assert_string_equal(value(b, "X"), "n");
	kconfig_free(a);
	kconfig_free(b);
}

static void test_config_round_trip(void **state)
{
	(void)state;
	struct kconfig *kc = load("mainmenu \"T\"\nconfig A\n\tbool \"a\"\n"
				  "config S\n\tstring \"s\"\n");
	kconfig_sym_set_value(kc, kconfig_find(kc, "S"), "say \"hi\"");
	assert_int_equal(kconfig_write_config(kc, path("out.config")), 0);
	assert_string_equal(read_all("out.config"),
			    "#\n# Automatically generated file; DO NOT EDIT.\n# T\n#\n"
			    "# CONFIG_A is not set\nCONFIG_S=\"say \\\"hi\\\"\"\n");
	struct kconfig *again = load("mainmenu \"T\"\nconfig A\n\tbool \"a\"\n"
				     "config S\n\tstring \"s\"\n");
	assert_int_equal(kconfig_read_config(again, path("out.config"), 1), 0);
	assert_string_equal(value(again, "S"), "say \"hi\"");
	kconfig_free(kc);
	kconfig_free(again);
}

static void test_syntax_error_names_file_and_line(void **state)
{
	(void)state;
	write_file("Bad", "config A\n\tbool \"a\"\n\tdepends on (B\n");
	char *err = NULL;
	struct kconfig *kc = kconfig_load(path("Bad"), NULL, &err);
	assert_null(kc);
	assert_non_null(err);
	assert_non_null(strstr(err, "Bad:3:"));
	free(err);
}

static void test_missing_config_file_is_an_error(void **state)
{
	(void)state;
	struct kconfig *kc = load("config A\n\tbool \"a\"\n");
	assert_int_equal(kconfig_read_config(kc, path("none"), 1), -1);
	assert_non_null(strstr(kconfig_error(kc), "none"));
	kconfig_free(kc);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_and_dependencies),
		cmocka_unit_test(test_user_value_clamped_by_visibility),
		cmocka_unit_test(test_select_overrides_and_choice),
		cmocka_unit_test(test_menu_tree_for_front_ends),
		cmocka_unit_test(test_two_configurations_in_one_process),
		cmocka_unit_test(test_config_round_trip),
		cmocka_unit_test(test_syntax_error_names_file_and_line),
		cmocka_unit_test(test_missing_config_file_is_an_error),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		rc = rc ? rc : 1;
	return rc;
}
