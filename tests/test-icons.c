/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "oip-application.h"
#include "oip-test-gui.h"

/* Every icon the app names resolves on the running icon theme: in the
 * system's theme (Adwaita), in GTK's or libadwaita's own, or in the app's
 * GResource (…/icons, which GtkApplication adds). Icons come and go
 * between Adwaita releases (emblem-ok-symbolic is in Debian 12's and gone
 * from today's), and a missing one shows as a placeholder. The names are
 * read from the sources themselves, so a new one is checked as soon as it
 * is used. */

typedef struct
{
  GHashTable *names;    /* icon name → "file:line" where first seen */
} Collected;

static const char *const patterns[] = {
  /* Any string literal that is a symbolic icon's name. */
  "\"([A-Za-z0-9_.-]+-symbolic)\"",
  /* The first string literal in a call to …icon_name (…): gtk_image_new_from_icon_name,
   * adw_status_page_set_icon_name, gtk_button_set_icon_name… */
  "icon_name\\s*\\([^;\"]*\"([A-Za-z0-9_.-]+)\"",
  /* Properties set by name: g_object_set (…, "icon-name", "…"). */
  "\"[a-z-]*icon-name\"\\s*,\\s*\"([A-Za-z0-9_.-]+)\"",
  /* .ui: <property name="icon-name">…</property>, and start-icon-name etc. */
  "<property name=\"[a-z_-]*icon[_-]name\"[^>]*>\\s*([A-Za-z0-9_.-]+)\\s*</property>",
  /* .css: -gtk-icontheme("…") */
  "-gtk-icontheme\\(\\s*[\"']([A-Za-z0-9_.-]+)[\"']",
};

static void
collect_file (Collected  *collected,
              const char *path,
              const char *shown_path)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
    {
      g_autoptr(GRegex) regex = g_regex_new (patterns[i], G_REGEX_MULTILINE, 0, &error);
      g_autoptr(GMatchInfo) match = NULL;

      g_assert_no_error (error);
      g_regex_match (regex, text, 0, &match);
      while (g_match_info_matches (match))
        {
          g_autofree char *name = g_match_info_fetch (match, 1);
          int start = 0;
          guint line = 1;

          g_match_info_fetch_pos (match, 1, &start, NULL);
          for (int c = 0; c < start; c++)
            line += text[c] == '\n';
          if (!g_hash_table_contains (collected->names, name))
            g_hash_table_insert (collected->names, g_steal_pointer (&name),
                                 g_strdup_printf ("%s:%u", shown_path, line));
          g_match_info_next (match, NULL);
        }
    }
}

static void
collect_dir (Collected  *collected,
             const char *path,
             const char *shown_path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *shown = g_build_filename (shown_path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        collect_dir (collected, child, shown);
      else if (g_str_has_suffix (name, ".c") || g_str_has_suffix (name, ".ui") ||
               g_str_has_suffix (name, ".css"))
        collect_file (collected, child, shown);
    }
}

static void
test_every_icon_resolves (void)
{
  g_autoptr(OipApplication) app = oip_application_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *src = g_test_build_filename (G_TEST_DIST, "..", "src", NULL);
  g_autofree char *data_icons = g_test_build_filename (G_TEST_DIST, "..", "data", "icons", NULL);
  g_autofree char *app_symbolic = g_strconcat (BASE_APP_ID, "-symbolic", NULL);
  Collected collected = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free) };
  GtkIconTheme *theme;
  g_autoptr(GList) names = NULL;
  guint missing = 0;

  /* startup adds the app's GResource icons to the display's theme. */
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  /* The app's own icon (the About window shows it) is installed into
   * hicolor, as data/icons has it. */
  gtk_icon_theme_add_search_path (theme, data_icons);
  g_hash_table_insert (collected.names, g_strdup (BASE_APP_ID), g_strdup ("data/icons"));
  g_hash_table_insert (collected.names, g_strdup (app_symbolic), g_strdup ("data/icons"));

  collect_dir (&collected, src, "src");

  /* The collector itself works: names from .c (a literal passed on, and
   * a call) and from .ui are found. */
  g_assert_true (g_hash_table_contains (collected.names, "dialog-warning-symbolic"));
  g_assert_true (g_hash_table_contains (collected.names, "go-next-symbolic"));
  g_assert_true (g_hash_table_contains (collected.names, "open-menu-symbolic"));

  g_test_message ("icon theme %s, %u icon names used", gtk_icon_theme_get_theme_name (theme),
                  g_hash_table_size (collected.names));
  names = g_list_sort (g_hash_table_get_keys (collected.names), (GCompareFunc) g_strcmp0);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *where = g_hash_table_lookup (collected.names, l->data);

      if (gtk_icon_theme_has_icon (theme, l->data))
        g_test_message ("found: %s (%s)", (const char *) l->data, where);
      else
        {
          g_test_message ("MISSING: %s, used in %s", (const char *) l->data, where);
          missing++;
        }
    }
  g_hash_table_unref (collected.names);
  g_assert_cmpuint (missing, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  oip_test_gui_init (&argc, &argv);

  g_test_add_func ("/icons/every-icon-resolves", test_every_icon_resolves);

  return g_test_run ();
}
