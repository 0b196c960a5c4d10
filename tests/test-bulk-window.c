/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "oip-application.h"
#include "oip-bulk-window.h"
#include "oip-dialogs.h"
#include "oip-test-gui.h"
#include "oip-test-util.h"

/* The Bulk Push window as a seller meets it, in the demo app: a photo
 * studio's folder of product folders with real pictures, and a CSV, each
 * read, reviewed, filtered to its problems, pushed and reported; what
 * Ozon ends with is read on the demo's server. */

static OipApplication *app;

static OipFakeOzon *
fake (void)
{
  return oip_application_get_demo_server (app);
}

static OipBulkWindow *
open_bulk_window (void)
{
  OipBulkWindow *window;

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "bulk-push"));
  g_action_group_activate_action (G_ACTION_GROUP (app), "bulk-push", NULL);
  window = oip_test_gui_find_toplevel (OIP_TYPE_BULK_WINDOW);
  g_assert_nonnull (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  oip_test_gui_settle (200);
  g_assert_cmpstr (oip_bulk_window_get_page (window), ==, "start");
  return window;
}

static gpointer
child (OipBulkWindow *window,
       const char    *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (window), OIP_TYPE_BULK_WINDOW, name);

  g_assert_nonnull (object);
  return object;
}

static void
write_picture (const char *path,
               const char *type,
               guint32     color)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 900, 1200);
  g_autoptr(GError) error = NULL;

  gdk_pixbuf_fill (pixbuf, color);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, type, &error, NULL));
  g_assert_no_error (error);
}

static char *
test_dir (const char *name)
{
  char *dir = g_build_filename (g_get_user_data_dir (), name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return dir;
}

static void
add_product (gint64      product_id,
             const char *offer_id)
{
  g_autofree char *old = oip_fake_ozon_image_url (fake (), "old-picture");
  const char *images[] = { old, NULL };

  oip_fake_ozon_add_product (fake (), product_id, offer_id, product_id + 100000000, offer_id, images);
}

static gboolean
reviewed (gpointer window)
{
  return g_strcmp0 (oip_bulk_window_get_page (window), "review") == 0 && !oip_bulk_window_is_busy (window);
}

static gboolean
pushed (gpointer window)
{
  OipBulkRun *run = oip_bulk_window_get_run (window);

  return !oip_bulk_window_is_busy (window) && run != NULL && oip_bulk_run_get_stage (run) == OIP_BULK_STAGE_DONE &&
         gtk_widget_get_visible (child (window, "export_button"));
}

static void
open_and_review (OipBulkWindow *window,
                 const char    *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  oip_bulk_window_open (window, file);
  g_assert_true (oip_test_gui_wait_for (reviewed, window));
  oip_test_gui_settle (100);
}

/* Every label the column view shows now. */
static void
collect_labels (GtkWidget *widget,
                GString   *texts)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (texts, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  for (GtkWidget *part = gtk_widget_get_first_child (widget); part != NULL; part = gtk_widget_get_next_sibling (part))
    collect_labels (part, texts);
}

static char *
shown_text (OipBulkWindow *window)
{
  GString *texts = g_string_new (NULL);

  collect_labels (child (window, "column_view"), texts);
  return g_string_free (texts, FALSE);
}

static guint
count_in (const char *haystack,
          const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static guint
count_state (OipBulkWindow    *window,
             OipBulkItemState  state)
{
  return oip_bulk_run_get_count (oip_bulk_window_get_run (window), state);
}

static void
push (OipBulkWindow *window,
      void         (*on_confirm) (gpointer data),
      gpointer       data)
{
  GtkWidget *alert;

  g_assert_true (gtk_widget_is_sensitive (child (window, "push_button")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "bulk.push", NULL));
  alert = oip_test_gui_wait_for_alert ();
  g_assert_true (oip_alert_has_response (alert, "cancel"));
  if (on_confirm != NULL)
    on_confirm (data);
  oip_test_gui_respond (alert, "push");
  /* 200 products take 16–19 s under the sanitizers: up to 80 s here. */
  for (guint i = 0; i < 4 && !pushed (window); i++)
    oip_test_gui_wait_for (pushed, window);
  g_assert_true (pushed (window));
  oip_test_gui_settle (100);
}

static char *
export (OipBulkWindow *window,
        const char    *name)
{
  g_autofree char *dir = test_dir ("reports");
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  /* An old report is replaced whole. */
  g_assert_true (g_file_set_contents (path, "old report, longer than nothing\n", -1, NULL));
  oip_bulk_window_export_async (window, file, NULL, oip_test_on_ready, &result);
  g_assert_true (oip_bulk_window_export_finish (window, oip_test_wait (&result), &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_false (strstr (text, "old report") != NULL);
  return text;
}

static void
close_window (OipBulkWindow *window)
{
  gtk_window_close (GTK_WINDOW (window));
  oip_test_gui_settle (100);
  g_assert_null (oip_test_gui_find_toplevel (OIP_TYPE_BULK_WINDOW));
}

#define FOLDER_FIRST_ID 710000000

/* A studio's folder: three products with a JPEG and a PNG each, one
 * folder Ozon has no product for, a stray file: read, reviewed, filtered,
 * pushed once each, reported. */
static void
test_folder (void)
{
  g_autofree char *root = test_dir ("shoot");
  g_autofree char *stray = g_build_filename (root, "notes.txt", NULL);
  OipBulkWindow *window = open_bulk_window ();
  guint puts_before = oip_fake_ozon_count_storage_puts (fake ());
  g_autofree char *text = NULL;
  g_autofree char *report = NULL;
  g_auto(GStrv) lines = NULL;

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *offer = i < 3 ? g_strdup_printf ("GUI-F-%03u", i) : g_strdup ("NOT-ON-OZON");
      g_autofree char *folder = g_build_filename (root, offer, NULL);
      g_autofree char *jpeg = g_build_filename (folder, "1.jpg", NULL);
      g_autofree char *png = g_build_filename (folder, "2.png", NULL);

      g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
      write_picture (jpeg, "jpeg", 0x3060a0ff + (i << 16));
      write_picture (png, "png", 0xa06030ff + (i << 8));
      if (i < 3)
        add_product (FOLDER_FIRST_ID + i, offer);
    }
  g_assert_true (g_file_set_contents (stray, "not a product", -1, NULL));
  oip_test_gui_screenshot (GTK_WIDGET (window), "bulk-window-start");

  open_and_review (window, root);
  g_assert_cmpuint (g_list_model_get_n_items (oip_bulk_window_get_shown (window)), ==, 4);
  g_assert_cmpuint (count_state (window, OIP_BULK_ITEM_PLANNED), ==, 3);
  g_assert_cmpuint (count_state (window, OIP_BULK_ITEM_NOT_FOUND), ==, 1);
  /* The stray file is listed as left out, with where it is. */
  g_assert_true (gtk_widget_get_visible (child (window, "problems_expander")));
  {
    GtkWidget *row = gtk_widget_get_first_child (child (window, "problems_list"));

    g_assert_true (ADW_IS_ACTION_ROW (row));
    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "notes.txt");
  }
  text = shown_text (window);
  g_assert_nonnull (strstr (text, "GUI-F-000"));
  g_assert_nonnull (strstr (text, "NOT-ON-OZON"));
  g_assert_cmpuint (count_in (text, oip_bulk_item_state_label (OIP_BULK_ITEM_PLANNED)), ==, 3);
  g_assert_cmpuint (count_in (text, oip_bulk_item_state_label (OIP_BULK_ITEM_NOT_FOUND)), ==, 1);
  g_assert_cmpuint (count_in (text, "1 → 2"), ==, 3);
  oip_test_gui_screenshot (GTK_WIDGET (window), "bulk-window-folder-review");

  /* Only the problems: the product Ozon does not have. */
  gtk_check_button_set_active (child (window, "problems_only_check"), TRUE);
  oip_test_gui_settle (100);
  g_assert_cmpuint (g_list_model_get_n_items (oip_bulk_window_get_shown (window)), ==, 1);
  g_clear_pointer (&text, g_free);
  text = shown_text (window);
  g_assert_nonnull (strstr (text, "NOT-ON-OZON"));
  g_assert_null (strstr (text, "GUI-F-000"));
  oip_test_gui_screenshot (GTK_WIDGET (window), "bulk-window-problems");
  gtk_check_button_set_active (child (window, "problems_only_check"), FALSE);
  oip_test_gui_settle (100);
  g_assert_cmpuint (g_list_model_get_n_items (oip_bulk_window_get_shown (window)), ==, 4);

  push (window, NULL, NULL);
  g_assert_cmpuint (count_state (window, OIP_BULK_ITEM_IMPORTED), ==, 3);
  /* On the server: each product has its two new pictures, imported once,
   * and each of the six files was stored once. */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *offer = g_strdup_printf ("GUI-F-%03u", i);
      const char * const *images = oip_fake_ozon_get_product_images (fake (), FOLDER_FIRST_ID + i);

      g_assert_cmpuint (g_strv_length ((char **) images), ==, 2);
      g_assert_true (g_str_has_prefix (images[0], oip_fake_ozon_get_base_url (fake ())));
      g_assert_null (strstr (images[0], "old-picture"));
      g_assert_cmpuint (oip_fake_ozon_count_imports (fake (), offer), ==, 1);
    }
  g_assert_cmpuint (oip_fake_ozon_count_imports (fake (), "NOT-ON-OZON"), ==, 0);
  g_assert_cmpuint (oip_fake_ozon_count_storage_puts (fake ()) - puts_before, ==, 6);

  /* The states shown followed the run. */
  g_clear_pointer (&text, g_free);
  text = shown_text (window);
  g_assert_cmpuint (count_in (text, oip_bulk_item_state_label (OIP_BULK_ITEM_IMPORTED)), ==, 3);
  g_assert_true (gtk_widget_get_visible (child (window, "undo_button")));
  g_assert_false (gtk_widget_get_visible (child (window, "push_button")));
  oip_test_gui_screenshot (GTK_WIDGET (window), "bulk-window-folder-done");

  report = export (window, "folder.csv");
  lines = g_strsplit (report, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 6);
  g_assert_cmpstr (lines[0], ==, "offer_id,product_id,state,images_sent,imported,failed,error");
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *expected = g_strdup_printf ("GUI-F-%03u,%u,imported,2,2,0,", i, FOLDER_FIRST_ID + i);

      g_assert_cmpstr (lines[1 + i], ==, expected);
    }
  g_assert_true (g_str_has_prefix (lines[4], "NOT-ON-OZON,,not_found,0,0,0,"));
  g_assert_cmpstr (lines[5], ==, "");
  close_window (window);
}

#define CSV_FIRST_ID 720000000

/* A CSV: local files and web addresses, a row without an offer ID and a
 * duplicate (left out, with their lines), a product that cannot be sent. */
static void
test_csv (void)
{
  g_autofree char *dir = test_dir ("sheet");
  g_autofree char *path = g_build_filename (dir, "products.csv", NULL);
  g_autofree char *local = g_build_filename (dir, "front.jpg", NULL);
  g_autofree char *web = oip_fake_ozon_image_url (fake (), "csv-back");
  g_autofree char *csv = NULL;
  g_autofree char *report = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  OipBulkWindow *window = open_bulk_window ();
  GtkWidget *row;

  write_picture (local, "jpeg", 0x20c040ff);
  add_product (CSV_FIRST_ID, "GUI-C-1");
  add_product (CSV_FIRST_ID + 1, "GUI-C-2");
  csv = g_strdup_printf ("offer_id,images\n"
                         "GUI-C-1,./front.jpg|%s\n"
                         ",%s\n"
                         "GUI-C-2,%s\n"
                         "GUI-C-1,%s\n",
                         web, web, web, web);
  g_assert_true (g_file_set_contents (path, csv, -1, NULL));

  open_and_review (window, path);
  g_assert_cmpuint (g_list_model_get_n_items (oip_bulk_window_get_shown (window)), ==, 2);
  g_assert_cmpuint (count_state (window, OIP_BULK_ITEM_PLANNED), ==, 2);
  /* Lines 3 (no offer ID) and 5 (a duplicate) are listed. */
  row = gtk_widget_get_first_child (child (window, "problems_list"));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "products.csv:3");
  row = gtk_widget_get_next_sibling (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "products.csv:5");
  g_assert_null (gtk_widget_get_next_sibling (row));
  oip_test_gui_screenshot (GTK_WIDGET (window), "bulk-window-csv-review");

  push (window, NULL, NULL);
  g_assert_cmpuint (count_state (window, OIP_BULK_ITEM_IMPORTED), ==, 2);
  g_assert_cmpuint (g_strv_length ((char **) oip_fake_ozon_get_product_images (fake (), CSV_FIRST_ID)), ==, 2);
  g_assert_cmpstr (oip_fake_ozon_get_product_images (fake (), CSV_FIRST_ID + 1)[0], ==, web);
  g_assert_cmpuint (oip_fake_ozon_count_imports (fake (), "GUI-C-1"), ==, 1);
  g_assert_cmpuint (oip_fake_ozon_count_imports (fake (), "GUI-C-2"), ==, 1);

  report = export (window, "csv.csv");
  first = g_strdup_printf ("\r\nGUI-C-1,%u,imported,2,2,0,\r\n", CSV_FIRST_ID);
  second = g_strdup_printf ("\r\nGUI-C-2,%u,imported,1,1,0,\r\n", CSV_FIRST_ID + 1);
  g_assert_nonnull (strstr (report, first));
  g_assert_nonnull (strstr (report, second));

  /* Undo Run: a run of its own, reviewed, then pushed: the products get
   * back what they had. */
  g_assert_true (gtk_widget_get_visible (child (window, "undo_button")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "bulk.undo-run", NULL));
  g_assert_true (oip_test_gui_wait_for (reviewed, window));
  g_assert_cmpint (oip_bulk_run_get_kind (oip_bulk_window_get_run (window)), ==, OIP_PUSH_KIND_UNDO);
  g_assert_cmpuint (oip_bulk_run_get_n_left (oip_bulk_window_get_run (window)), ==, 2);
  oip_test_gui_screenshot (GTK_WIDGET (window), "bulk-window-undo-review");
  push (window, NULL, NULL);
  g_assert_false (gtk_widget_get_visible (child (window, "undo_button")));
  for (guint i = 0; i < 2; i++)
    {
      const char * const *images = oip_fake_ozon_get_product_images (fake (), CSV_FIRST_ID + i);

      g_assert_cmpuint (g_strv_length ((char **) images), ==, 1);
      g_assert_nonnull (strstr (images[0], "old-picture"));
    }
  g_assert_cmpuint (oip_fake_ozon_count_imports (fake (), "GUI-C-1"), ==, 2);
  close_window (window);
}

static gboolean
sending (gpointer window)
{
  OipBulkRun *run = oip_bulk_window_get_run (window);

  return run != NULL && oip_bulk_run_get_stage (run) == OIP_BULK_STAGE_SENDING;
}

/* Closed in the middle of a push: the push stops, nothing that comes back
 * touches the window's parts (warnings are fatal here), and the run
 * waits in the database. */
static void
test_close_while_pushing (void)
{
  g_autofree char *dir = test_dir ("closing");
  g_autofree char *path = g_build_filename (dir, "closing.csv", NULL);
  g_autoptr(GString) csv = g_string_new ("offer_id,images\n");
  OipBulkWindow *window = open_bulk_window ();
  g_autoptr(OipBulkRun) run = NULL;

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *offer = g_strdup_printf ("GUI-X-%03u", i);
      g_autofree char *name = g_strdup_printf ("closing-%u", i);
      g_autofree char *url = oip_fake_ozon_image_url (fake (), name);

      add_product (750000000 + i, offer);
      g_string_append_printf (csv, "%s,%s\n", offer, url);
    }
  g_assert_true (g_file_set_contents (path, csv->str, -1, NULL));
  oip_fake_ozon_set_import_delay (fake (), 500);
  open_and_review (window, path);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "bulk.push", NULL));
  oip_test_gui_respond (oip_test_gui_wait_for_alert (), "push");
  g_assert_true (oip_test_gui_wait_for (sending, window));
  run = g_object_ref (oip_bulk_window_get_run (window));
  close_window (window);
  oip_test_gui_settle (1000);
  g_assert_cmpint (oip_bulk_run_get_stage (run), ==, OIP_BULK_STAGE_PAUSED);
  g_assert_cmpint (oip_bulk_run_get_id (run), >, 0);
  oip_fake_ozon_set_import_delay (fake (), 0);
}

/* The main loop's longest pause while 200 products are pushed: the
 * demo's server runs in this process too, so this is an upper bound. */
typedef struct
{
  guint  source;
  gint64 first;
  gint64 last;
  gint64 longest;
} Ticks;

static gboolean
tick (gpointer data)
{
  Ticks *ticks = data;
  gint64 now = g_get_monotonic_time ();

  if (ticks->last > 0)
    ticks->longest = MAX (ticks->longest, now - ticks->last);
  ticks->last = now;
  return G_SOURCE_CONTINUE;
}

static void
start_ticks (gpointer data)
{
  Ticks *ticks = data;

  ticks->first = ticks->last = g_get_monotonic_time ();
  ticks->source = g_timeout_add (5, tick, ticks);
}

#define MANY_FIRST_ID 730000000
#define MANY 200

typedef struct
{
  guint  first;
  guint  n_imports;   /* out: products imported exactly once */
  guint  n_two;       /* out: products with their two new images */
} ManyCall;

static void
add_many (OipFakeOzon *server,
          gpointer     data)
{
  ManyCall *call = data;
  g_autofree char *old = oip_fake_ozon_image_url (server, "old-picture");
  const char *images[] = { old, NULL };

  for (guint i = 0; i < MANY; i++)
    {
      g_autofree char *offer = g_strdup_printf ("GUI-M-%u", call->first + i);

      oip_fake_ozon_add_product (server, call->first + i, offer, call->first + i + 100000000, offer, images);
    }
}

static void
count_many (OipFakeOzon *server,
            gpointer     data)
{
  ManyCall *call = data;

  for (guint i = 0; i < MANY; i++)
    {
      g_autofree char *offer = g_strdup_printf ("GUI-M-%u", call->first + i);
      const char * const *images = oip_fake_ozon_get_product_images (server, call->first + i);

      call->n_imports += oip_fake_ozon_count_imports (server, offer) == 1;
      call->n_two += g_strv_length ((char **) images) == 2 && strstr (images[0], "/many-") != NULL;
    }
}

/* The main loop's longest pause while 200 products are pushed: against
 * the demo's server, which runs in this very main loop (it draws every
 * sample picture Ozon downloads), and against the same fake in a thread
 * of its own, which leaves the window and the engine alone in the loop. */
static void
test_many_stalls (gconstpointer data)
{
  gboolean in_thread = GPOINTER_TO_INT (data);
  g_autofree char *dir = test_dir ("many");
  g_autofree char *path = g_build_filename (dir, in_thread ? "thread.csv" : "demo.csv", NULL);
  g_autoptr(GString) csv = g_string_new ("offer_id;images\n");
  OipContext *context = oip_application_get_context (app);
  OipTestFakeThread *thread = NULL;
  g_autofree char *base_url = NULL;
  ManyCall call = { .first = MANY_FIRST_ID + (in_thread ? MANY : 0) };
  OipBulkWindow *window;
  Ticks ticks = { 0 };

  if (in_thread)
    {
      thread = oip_test_fake_thread_start ();
      base_url = oip_test_fake_thread_get_base_url (thread);
      oip_context_set_base_url (context, base_url);
      oip_context_set_credentials (context, TEST_CLIENT_ID, TEST_API_KEY);
      oip_test_fake_thread_invoke (thread, add_many, &call);
    }
  else
    {
      base_url = g_strdup (oip_fake_ozon_get_base_url (fake ()));
      add_many (fake (), &call);
    }
  for (guint i = 0; i < MANY; i++)
    g_string_append_printf (csv, "GUI-M-%u;%s/images/many-%u-a.png %s/images/many-%u-b.png\n",
                            call.first + i, base_url, i, base_url, i);
  g_assert_true (g_file_set_contents (path, csv->str, -1, NULL));

  window = open_bulk_window ();
  open_and_review (window, path);
  g_assert_cmpuint (count_state (window, OIP_BULK_ITEM_PLANNED), ==, MANY);
  /* Timed from the seller's yes: the alert's own window is not the push. */
  push (window, start_ticks, &ticks);
  g_source_remove (ticks.source);
  g_test_message ("main-loop stall, fake Ozon %s: longest gap between 5 ms ticks during a %u-product push: "
                  "%.1f ms (push took %.2f s)", in_thread ? "in its own thread" : "in the main loop (demo)",
                  MANY, ticks.longest / 1000.0, (g_get_monotonic_time () - ticks.first) / (double) G_USEC_PER_SEC);
  g_assert_cmpuint (count_state (window, OIP_BULK_ITEM_IMPORTED), ==, MANY);
  close_window (window);

  /* On the server: each product imported once, with its two pictures. */
  if (in_thread)
    {
      oip_test_fake_thread_invoke (thread, count_many, &call);
      oip_context_set_base_url (context, oip_fake_ozon_get_base_url (fake ()));
      oip_context_set_credentials (context, OIP_DEMO_CLIENT_ID, OIP_DEMO_API_KEY);
      oip_test_fake_thread_stop (thread);
    }
  else
    count_many (fake (), &call);
  g_assert_cmpuint (call.n_imports, ==, MANY);
  g_assert_cmpuint (call.n_two, ==, MANY);
}

static gboolean
drop_file (OipBulkWindow *window,
           const char    *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GSList files = { file, NULL };
  GListModel *controllers = gtk_widget_observe_controllers (GTK_WIDGET (child (window, "toast_overlay")));
  g_auto(GValue) value = G_VALUE_INIT;
  gboolean taken = FALSE;
  guint n = 0;

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (&files));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        {
          g_signal_emit_by_name (controller, "drop", &value, 10.0, 10.0, &taken);
          n++;
        }
    }
  g_object_unref (controllers);
  g_assert_cmpuint (n, ==, 1);
  return taken;
}

/* A CSV dropped on the window is read like a chosen one; then a folder
 * dropped replaces it. */
static void
test_drop (void)
{
  g_autofree char *dir = test_dir ("dropped");
  g_autofree char *path = g_build_filename (dir, "dropped.csv", NULL);
  g_autofree char *folder = g_build_filename (dir, "shoot", "GUI-D-2", NULL);
  g_autofree char *picture = g_build_filename (folder, "main.png", NULL);
  g_autofree char *url = oip_fake_ozon_image_url (fake (), "dropped");
  g_autofree char *csv = g_strdup_printf ("offer_id,images\nGUI-D-1,%s\n", url);
  g_autofree char *shoot = g_path_get_dirname (folder);
  OipBulkWindow *window = open_bulk_window ();
  g_autoptr(OipBulkItem) item = NULL;

  add_product (760000001, "GUI-D-1");
  add_product (760000002, "GUI-D-2");
  g_assert_true (g_file_set_contents (path, csv, -1, NULL));
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  write_picture (picture, "png", 0x102030ff);

  g_assert_true (drop_file (window, path));
  g_assert_true (oip_test_gui_wait_for (reviewed, window));
  g_assert_cmpuint (g_list_model_get_n_items (oip_bulk_window_get_shown (window)), ==, 1);
  item = g_list_model_get_item (oip_bulk_window_get_shown (window), 0);
  g_assert_cmpstr (oip_bulk_item_get_offer_id (item), ==, "GUI-D-1");
  g_clear_object (&item);

  g_assert_true (drop_file (window, shoot));
  g_assert_true (oip_test_gui_wait_for (reviewed, window));
  g_assert_cmpuint (g_list_model_get_n_items (oip_bulk_window_get_shown (window)), ==, 1);
  item = g_list_model_get_item (oip_bulk_window_get_shown (window), 0);
  g_assert_cmpstr (oip_bulk_item_get_offer_id (item), ==, "GUI-D-2");
  g_assert_cmpuint (oip_bulk_item_get_n_after (item), ==, 1);
  close_window (window);
}

#define RESUME_FIRST_ID 740000000
#define RESUME_N 150

static guint imports_before;

/* Ozon has taken the first import, whose answer is still on its way. */
static gboolean
import_on_its_way (gpointer window)
{
  return oip_fake_ozon_count_requests (fake (), "/v2/product/pictures/import") > imports_before;
}

static gboolean
stopped (gpointer window)
{
  return !oip_bulk_window_is_busy (window) && gtk_widget_get_visible (child (window, "resume_button"));
}

/* Ozon takes 100 products a “minute” (1.5 s here): the seller stops the
 * run while its first import is on its way (Ozon has taken it, the
 * answer comes late, and Ozon takes a while to import), then resumes it;
 * every product ends imported once, as the server counts. */
static void
test_stop_and_resume (void)
{
  g_autofree char *dir = test_dir ("resume");
  g_autofree char *path = g_build_filename (dir, "resume.csv", NULL);
  g_autoptr(GString) csv = g_string_new ("offer_id,images\n");
  OipBulkWindow *window = open_bulk_window ();
  gint64 run_id;

  for (guint i = 0; i < RESUME_N; i++)
    {
      g_autofree char *offer = g_strdup_printf ("GUI-R-%03u", i);
      g_autofree char *name = g_strdup_printf ("resume-%u", i);
      g_autofree char *url = oip_fake_ozon_image_url (fake (), name);

      add_product (RESUME_FIRST_ID + i, offer);
      g_string_append_printf (csv, "%s,%s\n", offer, url);
    }
  g_assert_true (g_file_set_contents (path, csv->str, -1, NULL));
  oip_fake_ozon_set_minute_ms (fake (), 1500);
  oip_fake_ozon_set_limits (fake (), 0, 100, 0);

  open_and_review (window, path);
  oip_bulk_run_set_minute_ms (oip_bulk_window_get_run (window), 1500);
  imports_before = oip_fake_ozon_count_requests (fake (), "/v2/product/pictures/import");
  oip_fake_ozon_set_slow_delay (fake (), 1000);
  oip_fake_ozon_inject (fake (), "/v2/product/pictures/import", OIP_FAKE_FAULT_LATE_ANSWER, 1);
  oip_fake_ozon_set_import_delay (fake (), 1000);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "bulk.push", NULL));
  oip_test_gui_respond (oip_test_gui_wait_for_alert (), "push");
  g_assert_true (oip_test_gui_wait_for (import_on_its_way, window));
  g_assert_cmpuint (count_state (window, OIP_BULK_ITEM_SENDING), ==, 100);
  g_assert_true (gtk_widget_get_visible (child (window, "stop_button")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "bulk.stop", NULL));
  g_assert_true (oip_test_gui_wait_for (stopped, window));
  g_assert_cmpint (oip_bulk_run_get_stage (oip_bulk_window_get_run (window)), ==, OIP_BULK_STAGE_PAUSED);
  g_assert_cmpuint (count_state (window, OIP_BULK_ITEM_IMPORTED), <, RESUME_N);
  /* The Stop waited for the import's answer: its task is on record. */
  g_assert_cmpuint (count_state (window, OIP_BULK_ITEM_SENDING), ==, 0);
  g_assert_cmpuint (count_state (window, OIP_BULK_ITEM_IMPORTING) + count_state (window, OIP_BULK_ITEM_IMPORTED), ==,
                    100);
  {
    guint sent_twice_before = 0, in_flight = 0;

    for (guint i = 0; i < RESUME_N; i++)
      {
        g_autofree char *offer = g_strdup_printf ("GUI-R-%03u", i);
        g_autoptr(OipBulkItem) item = g_list_model_get_item (oip_bulk_run_get_items (oip_bulk_window_get_run (window)), i);

        sent_twice_before += oip_fake_ozon_count_imports (fake (), offer) > 0 &&
                             oip_bulk_item_get_state (item) != OIP_BULK_ITEM_IMPORTED;
        in_flight += oip_bulk_item_get_state (item) == OIP_BULK_ITEM_IMPORTING ||
                     oip_bulk_item_get_state (item) == OIP_BULK_ITEM_SENDING;
      }
    g_test_message ("stopped: imported %u, on the server but not imported here %u, in flight %u, queued %u",
                    count_state (window, OIP_BULK_ITEM_IMPORTED), sent_twice_before, in_flight,
                    count_state (window, OIP_BULK_ITEM_QUEUED));
  }
  run_id = oip_bulk_run_get_id (oip_bulk_window_get_run (window));
  g_assert_cmpint (run_id, >, 0);
  oip_test_gui_screenshot (GTK_WIDGET (window), "bulk-window-stopped");

  /* Resumed from the database: only what is left. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "bulk.resume", NULL));
  g_assert_true (oip_test_gui_wait_for (reviewed, window));
  g_assert_cmpint (oip_bulk_run_get_id (oip_bulk_window_get_run (window)), ==, run_id);
  g_assert_cmpuint (oip_bulk_run_get_n_left (oip_bulk_window_get_run (window)), ==,
                    RESUME_N - count_state (window, OIP_BULK_ITEM_IMPORTED));
  oip_bulk_run_set_minute_ms (oip_bulk_window_get_run (window), 1500);
  push (window, NULL, NULL);
  g_assert_cmpuint (count_state (window, OIP_BULK_ITEM_IMPORTED), ==, RESUME_N);
  for (guint i = 0; i < RESUME_N; i++)
    {
      g_autofree char *offer = g_strdup_printf ("GUI-R-%03u", i);

      g_assert_cmpuint (oip_fake_ozon_count_imports (fake (), offer), ==, 1);
      g_assert_nonnull (strstr (oip_fake_ozon_get_product_images (fake (), RESUME_FIRST_ID + i)[0], "/resume-"));
    }
  oip_fake_ozon_set_limits (fake (), 0, 0, 0);
  oip_fake_ozon_set_minute_ms (fake (), 60000);
  oip_fake_ozon_set_import_delay (fake (), 0);
  close_window (window);
}

static gboolean
listed (gpointer window)
{
  return !oip_bulk_window_is_listing (window);
}

/* The start page's row for the run @run_id, or %NULL. */
static GtkWidget *
unfinished_row (OipBulkWindow *window,
                gint64         run_id)
{
  GtkWidget *list = child (window, "unfinished_list");

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      gint64 *id = g_object_get_data (G_OBJECT (row), "oip-run-id");

      if (id != NULL && *id == run_id)
        return row;
    }
  return NULL;
}

static OipBulkWindow *
open_listed_window (void)
{
  OipBulkWindow *window = open_bulk_window ();

  g_assert_true (oip_test_gui_wait_for (listed, window));
  oip_test_gui_settle (100);
  return window;
}

#define LIST_FIRST_ID 770000000
#define LIST_N 30

/* A run stopped in one window, which is then closed: a new Bulk Push
 * window lists it on its start page; its Resume loads it with each
 * product's state, and the push goes on with the rest: every product
 * imported once, as the server counts; finished, it is listed no more. */
static void
test_resume_from_list (void)
{
  g_autofree char *dir = test_dir ("listed");
  g_autofree char *path = g_build_filename (dir, "unfinished-shoot.csv", NULL);
  g_autoptr(GString) csv = g_string_new ("offer_id,images\n");
  OipBulkWindow *window = open_listed_window ();
  GtkWidget *row;
  GtkWidget *button;
  gint64 run_id;
  guint imported_before;

  /* Nothing unfinished yet: no list. */
  g_assert_false (gtk_widget_get_visible (child (window, "unfinished_box")));
  for (guint i = 0; i < LIST_N; i++)
    {
      g_autofree char *offer = g_strdup_printf ("GUI-L-%03u", i);
      g_autofree char *name = g_strdup_printf ("listed-%u", i);
      g_autofree char *url = oip_fake_ozon_image_url (fake (), name);

      add_product (LIST_FIRST_ID + i, offer);
      g_string_append_printf (csv, "%s,%s\n", offer, url);
    }
  g_assert_true (g_file_set_contents (path, csv->str, -1, NULL));
  /* Ozon takes 10 products a “minute” (1.5 s here): stopped after the
   * first import, with the rest waiting for the next minute. */
  oip_fake_ozon_set_minute_ms (fake (), 1500);
  oip_fake_ozon_set_limits (fake (), 0, 10, 0);
  open_and_review (window, path);
  oip_bulk_run_set_minute_ms (oip_bulk_window_get_run (window), 1500);
  imports_before = oip_fake_ozon_count_requests (fake (), "/v2/product/pictures/import");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "bulk.push", NULL));
  oip_test_gui_respond (oip_test_gui_wait_for_alert (), "push");
  g_assert_true (oip_test_gui_wait_for (import_on_its_way, window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "bulk.stop", NULL));
  g_assert_true (oip_test_gui_wait_for (stopped, window));
  run_id = oip_bulk_run_get_id (oip_bulk_window_get_run (window));
  g_assert_cmpint (run_id, >, 0);
  imported_before = count_state (window, OIP_BULK_ITEM_IMPORTED);
  g_assert_cmpuint (imported_before, <, LIST_N);
  close_window (window);

  /* A new window, as in a later session. */
  window = open_listed_window ();
  g_assert_true (gtk_widget_get_visible (child (window, "unfinished_box")));
  row = unfinished_row (window, run_id);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "unfinished-shoot.csv");
  {
    g_autofree char *counts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u product: %u done, %u left",
                                                            "%u products: %u done, %u left", LIST_N),
                                               LIST_N, imported_before, LIST_N - imported_before);

    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), counts));
    g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), _("Stopped")));
  }
  oip_test_gui_screenshot (GTK_WIDGET (window), "bulk-window-unfinished");
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  oip_test_gui_settle (300);
  oip_test_gui_screenshot (GTK_WIDGET (window), "bulk-window-unfinished-narrow");
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  oip_test_gui_settle (300);

  button = g_object_get_data (G_OBJECT (row), "oip-resume-button");
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_activate (button));
  g_assert_true (oip_test_gui_wait_for (reviewed, window));
  g_assert_cmpint (oip_bulk_run_get_id (oip_bulk_window_get_run (window)), ==, run_id);
  g_assert_cmpuint (count_state (window, OIP_BULK_ITEM_IMPORTED), ==, imported_before);
  g_assert_cmpuint (oip_bulk_run_get_n_left (oip_bulk_window_get_run (window)), ==, LIST_N - imported_before);
  oip_bulk_run_set_minute_ms (oip_bulk_window_get_run (window), 1500);
  push (window, NULL, NULL);
  for (guint state = 0; state < OIP_BULK_ITEM_N_STATES; state++)
    if (count_state (window, state) > 0)
      g_test_message ("resumed from the list: %s %u", oip_bulk_item_state_to_string (state), count_state (window, state));
  for (guint i = 0; i < LIST_N; i++)
    {
      g_autoptr(OipBulkItem) item = g_list_model_get_item (oip_bulk_window_get_shown (window), i);

      if (oip_bulk_item_get_state (item) != OIP_BULK_ITEM_IMPORTED)
        g_test_message ("%s: %s / %s; imports %u, images now %s; sent %u imported %u skipped %u failed %u",
                        oip_bulk_item_get_offer_id (item), oip_bulk_item_get_error (item),
                        oip_bulk_item_get_ozon_message (item),
                        oip_fake_ozon_count_imports (fake (), oip_bulk_item_get_offer_id (item)),
                        oip_fake_ozon_get_product_images (fake (), LIST_FIRST_ID + i)[0],
                        oip_bulk_item_get_n_sent (item), oip_bulk_item_get_n_imported (item),
                        oip_bulk_item_get_n_skipped (item), oip_bulk_item_get_n_failed (item));
    }
  g_assert_cmpuint (count_state (window, OIP_BULK_ITEM_IMPORTED), ==, LIST_N);
  for (guint i = 0; i < LIST_N; i++)
    {
      g_autofree char *offer = g_strdup_printf ("GUI-L-%03u", i);

      g_assert_cmpuint (oip_fake_ozon_count_imports (fake (), offer), ==, 1);
      g_assert_nonnull (strstr (oip_fake_ozon_get_product_images (fake (), LIST_FIRST_ID + i)[0], "/listed-"));
    }
  oip_fake_ozon_set_limits (fake (), 0, 0, 0);
  oip_fake_ozon_set_minute_ms (fake (), 60000);
  close_window (window);

  /* Finished: listed no more. */
  window = open_listed_window ();
  g_assert_null (unfinished_row (window, run_id));
  g_assert_false (gtk_widget_get_visible (child (window, "unfinished_box")));
  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  oip_test_gui_init (&argc, &argv);

  app = oip_application_new ();
  oip_application_set_demo (app);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/bulk-window/folder", test_folder);
  g_test_add_func ("/bulk-window/csv", test_csv);
  g_test_add_func ("/bulk-window/drop", test_drop);
  g_test_add_func ("/bulk-window/stop-and-resume", test_stop_and_resume);
  g_test_add_func ("/bulk-window/resume-from-list", test_resume_from_list);
  g_test_add_func ("/bulk-window/close-while-pushing", test_close_while_pushing);
  g_test_add_data_func ("/bulk-window/many-stalls/demo", GINT_TO_POINTER (FALSE), test_many_stalls);
  g_test_add_data_func ("/bulk-window/many-stalls/fake-in-thread", GINT_TO_POINTER (TRUE), test_many_stalls);
  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
