/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "oip-image-tile.h"
#include "oip-test-gui.h"
#include "oip-test-util.h"

/* Warnings that libraries log about their own state, whatever the app
 * does: each is dropped (with a TAP comment) only when its domain and
 * beginning are exactly these, so that G_DEBUG=fatal-warnings still stops
 * at anything else. Keep it short: every entry hides a class of mistakes,
 * so never add one for a warning our code causes. */
static const struct
{
  const char *domain;
  const char *start;
} library_warnings[] = {
  /* GTK 4.24's new frame bookkeeping (gdk/gdkframetimings.c, a
   * g_warning_once) under X11 without a compositor, as on Xvfb: a program
   * that only pops up a plain GtkPopover gets it too. The app never
   * touches frame timings. */
  { "Gdk", "gdk_frame_timings_submitted() called on submitted frame" },
  /* libadwaita's AdwMessageDialog (deprecated since 1.6) on GTK 4.24,
   * with wrapped Chinese text: it asks for a few pixels more than its
   * window gives it. A program with nothing but that dialog, the same
   * strings and a parent window of 800x600 does it too. */
  { "Gtk", "Trying to measure AdwMessageDialog " },
};

static GString *captured_log;

static GLogWriterOutput
write_log (GLogLevelFlags   level,
           const GLogField *fields,
           gsize            n_fields,
           gpointer         user_data)
{
  const char *domain = "";
  const char *message = "";

  for (gsize i = 0; i < n_fields; i++)
    if (fields[i].length < 0 && g_str_equal (fields[i].key, "GLIB_DOMAIN"))
      domain = fields[i].value;
    else if (fields[i].length < 0 && g_str_equal (fields[i].key, "MESSAGE"))
      message = fields[i].value;

  if (level & G_LOG_LEVEL_WARNING)
    for (guint i = 0; i < G_N_ELEMENTS (library_warnings); i++)
      if (g_str_equal (domain, library_warnings[i].domain) &&
          g_str_has_prefix (message, library_warnings[i].start))
        {
          g_test_message ("library warning, not ours: %s-WARNING: %s", domain, message);
          return G_LOG_WRITER_HANDLED;
        }

  if (captured_log != NULL)
    {
      g_string_append_printf (captured_log, "%s\n", message);
      /* Debug and info are only collected: standard output is TAP's. */
      if (level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO))
        return G_LOG_WRITER_HANDLED;
    }
  return g_log_writer_default (level, fields, n_fields, user_data);
}

/**
 * oip_test_gui_capture_log:
 * @log: (nullable): where every message from now on is appended, debug
 *   included (set G_MESSAGES_DEBUG=all for GLib to make them)
 */
void
oip_test_gui_capture_log (GString *log)
{
  captured_log = log;
}

/**
 * oip_test_gui_init:
 *
 * A display or a TAP skip, the test's own home and user dirs (see
 * oip_test_isolate_dirs(): the system's icons, fonts and image loaders
 * stay visible), and GTK started in the language of $LANGUAGE.
 *
 * gtk_test_init() switches to the en_US.UTF-8 locale (and newer GTK warns,
 * fatally, when it is missing); translations then follow $LANGUAGE. Without
 * that locale the program is skipped with the reason, or fails where
 * OZON_PUSH_REQUIRE_LOCALES is set (CI generates it).
 */
void
oip_test_gui_init (int    *argc,
                   char ***argv)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      /* A TAP plan of nothing, skipped: what meson's TAP reader counts. */
      g_print ("1..0 # SKIP no display\n");
      exit (0);
    }

  if (setlocale (LC_ALL, "en_US.UTF-8") == NULL)
    {
      const char *reason = "the en_US.UTF-8 locale, which GTK's test setup uses, is not generated "
                           "(Debian: locale-gen, as .ci/install-deps --tests does)";

      if (g_getenv ("OZON_PUSH_REQUIRE_LOCALES") != NULL)
        {
          g_printerr ("%s\n", reason);
          exit (1);
        }
      g_print ("1..0 # SKIP %s\n", reason);
      exit (0);
    }

  oip_test_isolate_dirs ();
  g_log_set_writer_func (write_log, NULL, NULL);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("OZON_PUSH_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (argc, argv, NULL);
}

static gboolean
on_settled (gpointer flag)
{
  *(gboolean *) flag = TRUE;
  return G_SOURCE_REMOVE;
}

/* Lets GTK lay out and draw for a while. */
void
oip_test_gui_settle (guint milliseconds)
{
  gboolean done = FALSE;

  g_timeout_add (milliseconds, on_settled, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/**
 * oip_test_gui_wait_for:
 *
 * Returns: whether @predicate came true within 20 s
 */
gboolean
oip_test_gui_wait_for (gboolean (*predicate) (gpointer),
                       gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!predicate (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      oip_test_gui_settle (10);
    }
  return TRUE;
}

/* Whether any GtkStack under @widget is still cross-fading or sliding:
 * a picture taken then shows two pages on top of each other. */
static gboolean
transitions_finished (gpointer data)
{
  GtkWidget *widget = data;

  if (GTK_IS_STACK (widget) && gtk_stack_get_transition_running (GTK_STACK (widget)))
    return FALSE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (!transitions_finished (child))
      return FALSE;
  return TRUE;
}

/**
 * oip_test_gui_screenshot:
 * @name: file name without extension; the language is appended
 *
 * Renders @widget with its own renderer into
 * `$OZON_PUSH_TEST_OUTPUT/NAME-LANG.png`, and checks that it is a real
 * picture, not a blank.
 */
void
oip_test_gui_screenshot (GtkWidget  *widget,
                         const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  g_autofree guchar *pixels = NULL;
  g_autoptr(GHashTable) colors = g_hash_table_new (NULL, NULL);
  const char *dir = g_getenv ("OZON_PUSH_TEST_OUTPUT");
  const char *lang = g_getenv ("LANGUAGE");
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width, height;

  g_assert_true (oip_test_gui_wait_for ((gboolean (*) (gpointer)) gtk_widget_get_mapped, widget));
  g_assert_true (oip_test_gui_wait_for (transitions_finished, widget));
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  /* Until GTK has drawn a frame of it, the widget has nothing to show. */
  for (guint tries = 0; node == NULL && tries < 100; tries++)
    {
      g_autoptr(GtkSnapshot) attempt = gtk_snapshot_new ();

      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (attempt), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&attempt));
      if (node == NULL)
        {
          gtk_widget_queue_draw (widget);
          oip_test_gui_settle (50);
        }
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* A real window has many colours; a blank or failed render has one. */
  pixels = g_malloc ((gsize) width * height * 4);
  gdk_texture_download (texture, pixels, width * 4);
  for (gsize i = 0; i < (gsize) width * height && g_hash_table_size (colors) < 100; i += 7)
    g_hash_table_add (colors, GUINT_TO_POINTER (((guint32 *) pixels)[i]));
  g_assert_cmpuint (g_hash_table_size (colors), >=, 20);

  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  file = g_strdup_printf ("%s-%s.png", name, lang && *lang ? lang : "en");
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

/**
 * oip_test_gui_tiles_loaded:
 *
 * Returns: whether every tile in @flow has finished loading its thumbnail
 */
gboolean
oip_test_gui_tiles_loaded (GtkFlowBox *flow)
{
  for (int i = 0; ; i++)
    {
      GtkFlowBoxChild *child = gtk_flow_box_get_child_at_index (flow, i);

      if (child == NULL)
        return TRUE;
      if (oip_image_tile_get_state (OIP_IMAGE_TILE (gtk_flow_box_child_get_child (child))) == OIP_TILE_LOADING)
        {
          if (g_getenv ("OIP_DEBUG_TILES"))
            g_printerr ("tile %d loading: mapped %d %s\n", i, gtk_widget_get_mapped (GTK_WIDGET (child)),
                        oip_image_tile_get_caption (OIP_IMAGE_TILE (gtk_flow_box_child_get_child (child))));
          return FALSE;
        }
    }
}

/**
 * oip_test_gui_find_toplevel:
 *
 * Returns: (transfer none) (nullable): a mapped toplevel of @type
 */
gpointer
oip_test_gui_find_toplevel (GType type)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_mapped (l->data))
      return l->data;
  return NULL;
}
