/* curses helpers for menuconfig. Colours follow mconf's blue theme;
 * MENUCONFIG_COLOR=mono or a terminal without colours gives reverse video
 * and bold only. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ui.h"

int mc_ui_start(struct mc *mc)
{
	const char *color = getenv("MENUCONFIG_COLOR");
	if (!newterm(NULL, stdout, stdin)) {
		fprintf(stderr, "menuconfig: cannot use terminal type '%s'\n",
			getenv("TERM") ? getenv("TERM") : "(unset)");
		return -1;
	}
	raw();          /* Ctrl-C arrives as a key: it asks before leaving */
	noecho();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	mc->mono = (color && !strcmp(color, "mono")) || !has_colors();
	if (!mc->mono) {
		start_color();
		init_pair(1, COLOR_YELLOW, COLOR_BLUE);
		init_pair(2, COLOR_WHITE, COLOR_BLUE);
		init_pair(3, COLOR_BLACK, COLOR_WHITE);
		init_pair(4, COLOR_BLACK, COLOR_WHITE);
		init_pair(5, COLOR_RED, COLOR_WHITE);
		init_pair(6, COLOR_BLACK, COLOR_WHITE);
		bkgd(COLOR_PAIR(6));
	}
	return 0;
}

void mc_ui_stop(void)
{
	endwin();
}

int mc_attr(const struct mc *mc, enum mc_attr a)
{
	if (mc->mono) {
		switch (a) {
		case MC_TITLE: return A_BOLD;
		case MC_SELECTED: return A_REVERSE;
		case MC_HIDDEN: return A_DIM;
		case MC_ERROR: return A_BOLD;
		default: return A_NORMAL;
		}
	}
	switch (a) {
	case MC_TITLE: return COLOR_PAIR(1) | A_BOLD;
	case MC_SELECTED: return COLOR_PAIR(2) | A_BOLD;
	case MC_HIDDEN: return COLOR_PAIR(6) | A_DIM;
	case MC_DIALOG: return COLOR_PAIR(4);
	case MC_ERROR: return COLOR_PAIR(5) | A_BOLD;
	default: return COLOR_PAIR(6);
	}
}

int mc_getkey(void)
{
	int c = getch();
	if (c != 27)
		return c;
	timeout(500);
	int c2 = getch();
	timeout(-1);
	if (c2 == 27)
		return MC_KEY_BACK;
	if (c2 != ERR)
		ungetch(c2);
	return 27;
}

static WINDOW *dialog(const struct mc *mc, int h, int w, const char *title)
{
	if (w > COLS - 2)
		w = COLS - 2;
	if (h > LINES - 2)
		h = LINES - 2;
	WINDOW *win = newwin(h, w, (LINES - h) / 2, (COLS - w) / 2);
	if (!win)
		return NULL;
	keypad(win, TRUE);
	wbkgd(win, mc_attr(mc, MC_DIALOG));
	wborder(win, '|', '|', '-', '-', '+', '+', '+', '+'); /* ASCII: any terminal */
	wattron(win, A_BOLD);
	mvwprintw(win, 0, 2, " %.*s ", w - 6, title);
	wattroff(win, A_BOLD);
	return win;
}

int mc_input(struct mc *mc, const char *title, const char *info, char *buf, size_t size,
	     const char *(*check)(struct mc *mc, void *arg, const char *value), void *arg)
{
	const char *error = NULL;
	size_t len = strlen(buf), pos = len;
	for (;;) {
		int w = COLS - 4 < 76 ? COLS - 4 : 76;
		WINDOW *win = dialog(mc, 9, w, title);
		if (!win)
			return 0;
		if (info)
			mvwprintw(win, 1, 2, "%.*s", w - 4, info);
		mvwprintw(win, 2, 2, "Enter accepts, Esc cancels");
		int fw = w - 6;
		size_t first = pos > (size_t)fw - 1 ? pos - (size_t)fw + 1 : 0;
		wattron(win, A_REVERSE);
		mvwprintw(win, 4, 3, "%-*.*s", fw, fw, buf + first);
		wattroff(win, A_REVERSE);
		if (error) {
			wattron(win, mc_attr(mc, MC_ERROR));
			mvwprintw(win, 6, 2, "%.*s", w - 4, error);
			wattroff(win, mc_attr(mc, MC_ERROR));
		}
		wmove(win, 4, 3 + (int)(pos - first));
		curs_set(1);
		wrefresh(win);
		int c = wgetch(win);
		curs_set(0);
		delwin(win);
		touchwin(stdscr);
		refresh();
		error = NULL;
		if (c == 27 || c == 3) {
			return 0;
		} else if (c == '\n' || c == '\r' || c == KEY_ENTER) {
			error = check ? check(mc, arg, buf) : NULL;
			if (!error)
				return 1;
		} else if ((c == KEY_BACKSPACE || c == 127 || c == 8) && pos > 0) {
			memmove(buf + pos - 1, buf + pos, len - pos + 1);
			pos--;
			len--;
		} else if (c == KEY_DC && pos < len) {
			memmove(buf + pos, buf + pos + 1, len - pos);
			len--;
		} else if (c == KEY_LEFT && pos > 0) {
			pos--;
		} else if (c == KEY_RIGHT && pos < len) {
			pos++;
		} else if (c == 21) { /* Ctrl-U clears, as in a shell */
			buf[0] = 0;
			pos = len = 0;
		} else if (c == KEY_HOME) {
			pos = 0;
		} else if (c == KEY_END) {
			pos = len;
		} else if (c >= 32 && c < 127 && len + 1 < size) {
			memmove(buf + pos + 1, buf + pos, len - pos + 1);
			buf[pos++] = (char)c;
			len++;
		}
	}
}

int mc_ask(struct mc *mc, const char *question)
{
	for (;;) {
		int w = (int)strlen(question) + 6;
		if (w < 44)
			w = 44;
		WINDOW *win = dialog(mc, 6, w, "Question");
		if (!win)
			return 'c';
		mvwprintw(win, 2, 2, "%s", question);
		mvwprintw(win, 3, 2, "(y)es  (n)o  (c)ancel");
		wrefresh(win);
		int c = wgetch(win);
		delwin(win);
		touchwin(stdscr);
		refresh();
		if (c == 'y' || c == 'Y')
			return 'y';
		if (c == 'n' || c == 'N')
			return 'n';
		if (c == 'c' || c == 'C' || c == 27 || c == 3)
			return 'c';
	}
}

int mc_text(struct mc *mc, const char *title, const char *text)
{
	/* split into lines once */
	size_t n = 0, cap = 64;
	const char **lines = malloc(cap * sizeof(*lines));
	int *lens = malloc(cap * sizeof(*lens));
	if (!lines || !lens) {
		free(lines);
		free(lens);
		return 0;
	}
	for (const char *p = text; *p;) {
		const char *e = strchr(p, '\n');
		if (!e)
			e = p + strlen(p);
		if (n == cap) {
			cap *= 2;
			const char **nl = realloc(lines, cap * sizeof(*lines));
			if (nl)
				lines = nl;
			int *ne = nl ? realloc(lens, cap * sizeof(*lens)) : NULL;
			if (!nl || !ne) {
				free(lines);
				free(ne ? ne : lens);
				return 0;
			}
			lens = ne;
		}
		lines[n] = p;
		lens[n++] = (int)(e - p);
		p = *e ? e + 1 : e;
	}
	int top = 0, ret = 0;
	for (;;) {
		WINDOW *win = dialog(mc, LINES - 2, COLS - 2, title);
		if (!win)
			break;
		int h = getmaxy(win) - 3, w = getmaxx(win) - 4;
		if (top > (int)n - h)
			top = (int)n - h;
		if (top < 0)
			top = 0;
		for (int i = 0; i < h && top + i < (int)n; i++)
			mvwprintw(win, 1 + i, 2, "%.*s", lens[top + i] < w ? lens[top + i] : w,
				  lines[top + i]);
		mvwprintw(win, h + 1, 2, "%.*s", w,
			  "Arrows scroll, 1-9 jump to an entry, Esc/q/Enter return");
		wrefresh(win);
		int c = wgetch(win);
		delwin(win);
		touchwin(stdscr);
		if (c == KEY_DOWN)
			top++;
		else if (c == KEY_UP)
			top--;
		else if (c == KEY_NPAGE || c == ' ')
			top += h;
		else if (c == KEY_PPAGE)
			top -= h;
		else if (c == KEY_RESIZE)
			continue;
		else if (c >= '1' && c <= '9') {
			char tag[8];
			snprintf(tag, sizeof(tag), "(%c) ", c);
			for (size_t i = 0; i < n; i++)
				if (!strncmp(lines[i], tag, strlen(tag)))
					ret = c - '0';
			if (ret)
				break;
		} else if (c == 27 || c == 'q' || c == '\n' || c == KEY_ENTER || c == KEY_LEFT ||
			   c == 3 || c == '?')
			break;
	}
	free(lines);
	free(lens);
	refresh();
	return ret;
}
