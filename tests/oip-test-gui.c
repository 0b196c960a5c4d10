/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>
#include <adwaita.h>

#include "oip-dialogs.h"
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

static gboolean
has_size (gpointer widget)
{
  return gtk_widget_get_width (widget) > 0 && gtk_widget_get_height (widget) > 0;
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

  /* OIP_TEST_DARK=1: the same pictures in the dark style, named …-dark. */
  if (g_getenv ("OIP_TEST_DARK") != NULL)
    {
      AdwStyleManager *style = adw_style_manager_get_default ();

      if (adw_style_manager_get_color_scheme (style) != ADW_COLOR_SCHEME_FORCE_DARK)
        {
          adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
          oip_test_gui_settle (300);
        }
    }
  g_assert_true (oip_test_gui_wait_for ((gboolean (*) (gpointer)) gtk_widget_get_mapped, widget));
  g_assert_true (oip_test_gui_wait_for (transitions_finished, widget));
  /* Mapped is not yet laid out: a new window has no size until then. */
  g_assert_true (oip_test_gui_wait_for (has_size, widget));
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
  file = g_strdup_printf ("%s-%s%s.png", name, lang && *lang ? lang : "en",
                          g_getenv ("OIP_TEST_DARK") ? "-dark" : "");
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

typedef gboolean (*Match) (gpointer widget,
                           gpointer data);

static gpointer
find_in (GtkWidget *widget,
         Match      match,
         gpointer   data)
{
  if (gtk_widget_get_mapped (widget) && match (widget, data))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      gpointer found = find_in (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gpointer
find_anywhere (Match    match,
               gpointer data)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next)
    {
      gpointer found = find_in (l->data, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_of_type (gpointer widget,
            gpointer type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

static gboolean
is_alert (gpointer widget,
          gpointer data)
{
  return oip_is_alert (widget);
}

/**
 * oip_test_gui_find_widget:
 *
 * Returns: (transfer none) (nullable): a mapped widget of @type in any
 *   toplevel: in a dialog window of its own, or in a dialog attached to
 *   its window
 */
gpointer
oip_test_gui_find_widget (GType type)
{
  return find_anywhere (is_of_type, GSIZE_TO_POINTER (type));
}

/**
 * oip_test_gui_find_alert:
 *
 * Returns: (transfer none) (nullable): the alert shown now, if any
 */
GtkWidget *
oip_test_gui_find_alert (void)
{
  return find_anywhere (is_alert, NULL);
}

static gboolean
alert_shown (gpointer data)
{
  *(GtkWidget **) data = oip_test_gui_find_alert ();
  return *(GtkWidget **) data != NULL;
}

/**
 * oip_test_gui_wait_for_alert:
 *
 * Returns: (transfer none): the alert shown (the test fails after 20 s
 *   without one)
 */
GtkWidget *
oip_test_gui_wait_for_alert (void)
{
  GtkWidget *alert = NULL;

  g_assert_true (oip_test_gui_wait_for (alert_shown, &alert));
  return alert;
}

/**
 * oip_test_gui_screenshot_window_of:
 *
 * Screenshots the window @widget is in: with attached dialogs, the main
 * window with the dialog over it; with dialog windows, the dialog.
 */
void
oip_test_gui_screenshot_window_of (GtkWidget  *widget,
                                   const char *name)
{
  oip_test_gui_screenshot (GTK_WIDGET (gtk_widget_get_root (widget)), name);
}

static gboolean
no_alert (gpointer data)
{
  return oip_test_gui_find_alert () == NULL;
}

/**
 * oip_test_gui_respond:
 *
 * Answers @alert with @response and waits until it is gone.
 */
void
oip_test_gui_respond (GtkWidget  *alert,
                      const char *response)
{
  oip_alert_respond (alert, response);
  g_assert_true (oip_test_gui_wait_for (no_alert, NULL));
}

static gboolean
explain_width (GtkWidget *widget,
               int        limit,
               int        depth)
{
  gboolean blamed_child = FALSE;
  int minimum = 0;

  if (!gtk_widget_get_visible (widget))
    return FALSE;
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  if (g_getenv ("OIP_DEBUG_WIDTH"))
    g_test_message ("%*s%s %d", depth, "", G_OBJECT_TYPE_NAME (widget), minimum);
  if (minimum <= limit)
    return FALSE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    blamed_child |= explain_width (child, limit, depth + 1);
  if (!blamed_child)
    g_test_message ("too wide: %s %s needs %d px%s%s", G_OBJECT_TYPE_NAME (widget),
                    gtk_widget_get_name (widget), minimum,
                    GTK_IS_LABEL (widget) ? ": " : "",
                    GTK_IS_LABEL (widget) ? gtk_label_get_text (GTK_LABEL (widget)) : "");
  return TRUE;
}

/**
 * oip_test_gui_explain_width:
 *
 * Names the widgets under @widget that need more than @limit pixels of
 * width themselves (not because of a child), in the test's log.
 */
void
oip_test_gui_explain_width (GtkWidget *widget,
                            int        limit)
{
  explain_width (widget, limit, 0);
}

/**
 * oip_test_gui_assert_not_squashed:
 *
 * Asserts that neither @widget nor any visible part of it is given less
 * height than it asks for at its width: a widget squashed by what follows
 * it (AdwStatusPage asks for a sliver at least, and for its whole content
 * naturally: inside scrolled content it got the sliver).
 */
void
oip_test_gui_assert_not_squashed (GtkWidget *widget)
{
  int minimum = 0;
  int natural = 0;

  g_assert_true (gtk_widget_get_mapped (widget));
  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (widget), &minimum, &natural, NULL, NULL);
  g_assert_cmpint (natural, >, 0);
  /* Measured with its margins, allocated without them. */
  g_assert_cmpint (gtk_widget_get_height (widget) + gtk_widget_get_margin_top (widget) +
                   gtk_widget_get_margin_bottom (widget), >=, natural);
  for (GtkWidget *part = gtk_widget_get_first_child (widget); part != NULL; part = gtk_widget_get_next_sibling (part))
    if (gtk_widget_get_visible (part))
      oip_test_gui_assert_not_squashed (part);
}
