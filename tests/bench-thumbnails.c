/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <libsoup/soup.h>

#include "oip-application.h"
#include "oip-dialogs.h"
#include "oip-image-tile.h"
#include "oip-test-gui.h"
#include "oip-thumbnail-loader.h"
#include "oip-image-list.h"
#include "oip-upload-dialog.h"

/* Benchmark (not a test): opens the Upload dialog on 30 images of
 * 3000×4000 JPEG served from loopback and prints the time until every
 * thumbnail is shown and the process's peak memory, with cold caches,
 * with the thumbnails in memory, and with them on disk only.
 * Targets (2 cores): 1.5 s cold, 0.3 s warm, 200 MB peak.
 *
 * The pictures are made and served by a child process, so that making
 * them does not count in this process's memory. */

#define N_IMAGES 30
#define WIDTH 3000
#define HEIGHT 4000

static void
serve_images (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  GBytes *jpeg = user_data;

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "image/jpeg", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg));
}

static G_GNUC_NORETURN void
run_server (int write_fd)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, WIDTH, HEIGHT);
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *line = NULL;
  gchar *buffer = NULL;
  gsize size = 0;
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  GSList *uris;

  /* A photo-like picture: smooth gradients with some noise, so the JPEG
   * is of a realistic size. */
  for (int y = 0; y < HEIGHT; y++)
    for (int x = 0; x < WIDTH; x++)
      {
        guint8 *p = pixels + y * stride + x * 3;
        guint32 noise = g_random_int ();

        p[0] = (x * 255 / WIDTH + (noise & 15)) & 255;
        p[1] = (y * 255 / HEIGHT + ((noise >> 4) & 15)) & 255;
        p[2] = ((x + y) * 255 / (WIDTH + HEIGHT) + ((noise >> 8) & 15)) & 255;
      }
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", NULL, "quality", "90", NULL));
  g_clear_object (&pixbuf);

  soup_server_add_handler (server, NULL, serve_images, g_bytes_new_take (buffer, size), (GDestroyNotify) g_bytes_unref);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, NULL));
  uris = soup_server_get_uris (server);
  line = g_strdup_printf ("%s %" G_GSIZE_FORMAT "\n", g_uri_to_string (uris->data), size);
  g_assert_true (write (write_fd, line, strlen (line)) == (ssize_t) strlen (line));
  close (write_fd);
  g_main_loop_run (loop);
  _exit (0);
}

static long
peak_rss_mb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

static gboolean
all_loaded (gpointer flow)
{
  return gtk_flow_box_get_child_at_index (flow, N_IMAGES - 1) != NULL && oip_test_gui_tiles_loaded (flow);
}

static double
measure (OipApplication *app,
         OipProduct     *product,
         const char     *base,
         guint          *n_failed)
{
  g_autoptr(OipImageList) list = oip_image_list_new ();
  OipUploadDialog *dialog;
  GtkFlowBox *flow;
  gint64 start, end;

  for (guint i = 0; i < N_IMAGES; i++)
    {
      g_autofree char *url = g_strdup_printf ("%sphoto-%02u.jpg", base, i);

      oip_image_list_add_text (list, url, NULL);
    }

  start = g_get_monotonic_time ();
  dialog = oip_upload_dialog_new (app, product, list);
  oip_dialog_present (oip_dialog_get_for (GTK_WIDGET (dialog)), NULL);
  flow = GTK_FLOW_BOX (gtk_widget_get_template_child (GTK_WIDGET (dialog), OIP_TYPE_UPLOAD_DIALOG, "review_flow"));
  while (!all_loaded (flow))
    g_main_context_iteration (NULL, TRUE);
  end = g_get_monotonic_time ();

  *n_failed = 0;
  for (guint i = 0; i < N_IMAGES; i++)
    *n_failed += oip_image_tile_get_state (OIP_IMAGE_TILE (gtk_flow_box_child_get_child (gtk_flow_box_get_child_at_index (flow, i)))) != OIP_TILE_LOADED;

  oip_dialog_force_close (GTK_WIDGET (dialog));
  oip_test_gui_settle (200);
  return (end - start) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(OipApplication) app = NULL;
  g_autoptr(OipProduct) product = oip_product_new (214365879, "BENCH-1");
  g_autoptr(GError) error = NULL;
  char line[512] = { 0 };
  char base[400] = { 0 };
  gsize jpeg_size = 0;
  int fds[2];
  pid_t server;
  guint failed;
  double cold, warm, disk;

  g_assert_cmpint (pipe (fds), ==, 0);
  server = fork ();
  if (server == 0)
    {
      close (fds[0]);
      run_server (fds[1]);
    }
  close (fds[1]);
  g_assert_true (read (fds[0], line, sizeof line - 1) > 0);
  g_assert_cmpint (sscanf (line, "%399s %" G_GSIZE_FORMAT, base, &jpeg_size), ==, 2);

  oip_test_gui_init (&argc, &argv);
  app = oip_application_new ();
  oip_application_set_demo (app);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));

  g_print ("%d JPEG images of %dx%d, %.1f MB each, from %s\n", N_IMAGES, WIDTH, HEIGHT, jpeg_size / 1e6, base);
  g_print ("peak memory at start: %ld MB\n", peak_rss_mb ());

  /* As in the app, the main window is up (and the renderer started)
   * before the Upload dialog opens. */
  g_application_activate (G_APPLICATION (app));
  oip_test_gui_settle (1500);
  g_print ("peak memory with the main window shown (%s renderer): %ld MB\n",
           G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (gtk_application_get_active_window (GTK_APPLICATION (app))))),
           peak_rss_mb ());

  cold = measure (app, product, base, &failed);
  g_print ("cold (nothing cached):      %7.0f ms until all %d thumbnails are shown, %u failed; peak memory %ld MB\n",
           cold, N_IMAGES, failed, peak_rss_mb ());
  warm = measure (app, product, base, &failed);
  g_print ("warm (thumbnails in memory): %6.0f ms, %u failed; peak memory %ld MB\n", warm, failed, peak_rss_mb ());
  oip_thumbnail_loader_clear_memory (oip_thumbnail_loader_get_default ());
  disk = measure (app, product, base, &failed);
  g_print ("warm (disk cache only):     %7.0f ms, %u failed; peak memory %ld MB\n", disk, failed, peak_rss_mb ());
  g_print ("downloads: %u (of %d images asked for 3 times)\n",
           oip_thumbnail_loader_get_n_fetched (oip_thumbnail_loader_get_default ()), N_IMAGES);
  g_print ("targets: cold <= 1500 ms %s, warm <= 300 ms %s, peak <= 200 MB %s\n",
           cold <= 1500 ? "met" : "MISSED", warm <= 300 ? "met" : "MISSED", peak_rss_mb () <= 200 ? "met" : "MISSED");

  kill (server, SIGTERM);
  waitpid (server, NULL, 0);
  return 0;
}
