/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "oip-image-check.h"
#include "oip-thumbnail-loader.h"

/**
 * OipThumbnailLoader:
 *
 * Thumbnails of image URLs for the editor, the product card and the
 * Upload dialog. Pictures are fetched over one #SoupSession, at most
 * %MAX_RUNNING at a time; decoded in a worker thread straight at display
 * size (JPEG is scaled while it is decoded, so a 3000×4000 photo never
 * exists full size in memory); kept in memory and as small PNGs in the
 * user cache dir. Several views asking for the same picture share one
 * fetch; a view that goes away cancels its request, and a fetch nobody
 * waits for any more is cancelled too.
 */
struct _OipThumbnailLoader
{
  GObject      parent_instance;

  SoupSession *session;
  GFile       *cache_dir;
  GHashTable  *memory;      /* key → GdkTexture */
  GQueue       memory_order;
  GHashTable  *jobs;        /* key → Job, running or queued */
  GQueue       queue;       /* Job, waiting for a slot */
  guint        running;
  guint        n_fetched;
};

G_DEFINE_FINAL_TYPE (OipThumbnailLoader, oip_thumbnail_loader, G_TYPE_OBJECT)

#define MAX_RUNNING 6
#define MAX_IN_MEMORY 400

typedef struct
{
  OipThumbnailLoader *loader;   /* unowned: jobs end before it */
  char               *key;
  char               *url;
  int                 size;
  GFile              *cache_file;
  GCancellable       *cancellable;
  GPtrArray          *waiters;  /* Waiter */
  gboolean            started;
} Job;

typedef struct
{
  Job          *job;
  GTask        *task;
  GCancellable *cancellable;
  gulong        handler;
  guint         drop_id;
} Waiter;

static void job_start (Job *job);

static char *
make_key (const char *url,
          int         size)
{
  return g_strdup_printf ("%d:%s", size, url);
}

static void
remember (OipThumbnailLoader *self,
          const char         *key,
          GdkTexture         *texture)
{
  if (g_hash_table_contains (self->memory, key))
    return;
  g_hash_table_insert (self->memory, g_strdup (key), g_object_ref (texture));
  g_queue_push_tail (&self->memory_order, g_strdup (key));
  while (g_queue_get_length (&self->memory_order) > MAX_IN_MEMORY)
    {
      g_autofree char *oldest = g_queue_pop_head (&self->memory_order);

      g_hash_table_remove (self->memory, oldest);
    }
}

static void
job_free (Job *job)
{
  g_free (job->key);
  g_free (job->url);
  g_clear_object (&job->cache_file);
  g_clear_object (&job->cancellable);
  g_ptr_array_unref (job->waiters);
  g_free (job);
}

static void
next_job (OipThumbnailLoader *self)
{
  while (self->running < MAX_RUNNING && !g_queue_is_empty (&self->queue))
    job_start (g_queue_pop_head (&self->queue));
}

/* Hands @texture (or @error) to everyone still waiting, then forgets the
 * job. */
static void
job_finish (Job          *job,
            GdkTexture   *texture,
            const GError *error)
{
  OipThumbnailLoader *self = job->loader;

  if (texture != NULL)
    remember (self, job->key, texture);

  for (guint i = 0; i < job->waiters->len; i++)
    {
      Waiter *waiter = g_ptr_array_index (job->waiters, i);

      g_cancellable_disconnect (waiter->cancellable, waiter->handler);
      g_clear_handle_id (&waiter->drop_id, g_source_remove);
      if (texture != NULL)
        g_task_return_pointer (waiter->task, g_object_ref (texture), g_object_unref);
      else
        g_task_return_error (waiter->task, g_error_copy (error));
      g_object_unref (waiter->task);
      g_clear_object (&waiter->cancellable);
      g_free (waiter);
    }
  g_ptr_array_set_size (job->waiters, 0);

  if (job->started)
    self->running--;
  g_hash_table_remove (self->jobs, job->key);   /* frees the job */
  next_job (self);
  g_object_unref (self);
}

typedef struct
{
  GBytes *bytes;
  int     size;
  GFile  *cache_file;   /* NULL when @bytes came from the cache */
} DecodeData;

static void
decode_data_free (DecodeData *data)
{
  g_bytes_unref (data->bytes);
  g_clear_object (&data->cache_file);
  g_free (data);
}

static void
on_size_prepared (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  int size = GPOINTER_TO_INT (user_data);
  double scale = MIN ((double) size / width, (double) size / height);

  if (scale < 1.0)
    gdk_pixbuf_loader_set_size (loader, MAX (1, (int) (width * scale + 0.5)), MAX (1, (int) (height * scale + 0.5)));
}

static void
decode_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  DecodeData *data = task_data;
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GdkPixbuf) oriented = NULL;
  g_autoptr(GError) error = NULL;
  GdkPixbuf *pixbuf;

  /* A decoder allocates the size a file declares before reading a pixel
   * (a 3.5 MB PNG can declare 30000×40000): refused first. */
  if (!oip_image_check_declared_size (g_bytes_get_data (data->bytes, NULL), g_bytes_get_size (data->bytes), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), GINT_TO_POINTER (data->size));
  if (!gdk_pixbuf_loader_write_bytes (loader, data->bytes, &error) ||
      !gdk_pixbuf_loader_close (loader, &error) ||
      (pixbuf = gdk_pixbuf_loader_get_pixbuf (loader)) == NULL)
    {
      gdk_pixbuf_loader_close (loader, NULL);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("Not a picture this computer can read"));
      return;
    }

  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);

  if (data->cache_file != NULL)
    {
      g_autofree char *path = g_file_get_path (data->cache_file);
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree gchar *png = NULL;
      gsize png_size = 0;

      /* A cache that cannot be written only costs a fetch next time. */
      if (g_mkdir_with_parents (dir, 0700) == 0 &&
          gdk_pixbuf_save_to_buffer (oriented, &png, &png_size, "png", NULL, NULL))
        g_file_set_contents_full (path, png, png_size, G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL);
    }

  g_task_return_pointer (task, g_steal_pointer (&oriented), g_object_unref);
}

static void
on_decoded (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) pixbuf = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(GdkTexture) texture = NULL;

  if (pixbuf != NULL)
    texture = gdk_texture_new_for_pixbuf (pixbuf);
  job_finish (job, texture, error);
}

static void
decode (Job    *job,
        GBytes *bytes,
        GFile  *cache_file)
{
  g_autoptr(GTask) task = g_task_new (NULL, job->cancellable, on_decoded, job);
  DecodeData *data = g_new0 (DecodeData, 1);

  data->bytes = g_bytes_ref (bytes);
  data->size = job->size;
  data->cache_file = cache_file ? g_object_ref (cache_file) : NULL;
  g_task_set_task_data (task, data, (GDestroyNotify) decode_data_free);
  g_task_run_in_thread (task, decode_in_thread);
}

static void
on_fetched (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  if (bytes != NULL && !SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message)))
    {
      g_set_error (&error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("The server answered HTTP %u"),
                   soup_message_get_status (message));
      g_clear_pointer (&bytes, g_bytes_unref);
    }
  if (bytes == NULL)
    {
      job_finish (job, NULL, error);
      return;
    }

  job->loader->n_fetched++;
  decode (job, bytes, job->cache_file);
}

static void
fetch (Job *job)
{
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, job->url);
  g_autoptr(GError) error = NULL;

  if (message == NULL)
    {
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Not a web address"));
      job_finish (job, NULL, error);
      return;
    }
  /* Not G_PRIORITY_LOW: while spinners animate, the frame clock (at
   * redraw priority) can keep lower sources from ever running. */
  soup_session_send_and_read_async (job->loader->session, message, G_PRIORITY_DEFAULT,
                                    job->cancellable, on_fetched, job);
}

static void
on_cache_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GBytes) bytes = g_file_load_bytes_finish (G_FILE (source), result, NULL, NULL);

  if (g_cancellable_is_cancelled (job->cancellable))
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");

      job_finish (job, NULL, error);
    }
  else if (bytes != NULL)
    decode (job, bytes, NULL);
  else
    fetch (job);
}

static void
on_local_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_file_load_bytes_finish (G_FILE (source), result, NULL, &error);

  if (bytes == NULL)
    job_finish (job, NULL, error);
  else
    decode (job, bytes, NULL);
}

static void
job_start (Job *job)
{
  job->started = TRUE;
  job->loader->running++;

  /* A picture on this computer is read as it is now: no disk cache, which
   * would go stale when the file is edited. */
  if (g_str_has_prefix (job->url, "file:///"))
    {
      g_autoptr(GFile) file = g_file_new_for_uri (job->url);

      g_file_load_bytes_async (file, job->cancellable, on_local_read, job);
      return;
    }
  g_file_load_bytes_async (job->cache_file, job->cancellable, on_cache_read, job);
}

static gboolean
drop_waiter (gpointer user_data)
{
  Waiter *waiter = user_data;
  Job *job = waiter->job;

  waiter->drop_id = 0;
  g_cancellable_disconnect (waiter->cancellable, waiter->handler);
  g_task_return_error_if_cancelled (waiter->task);
  g_object_unref (waiter->task);
  g_clear_object (&waiter->cancellable);
  g_ptr_array_remove (job->waiters, waiter);
  g_free (waiter);

  /* Nobody waits any more: stop the fetch (a queued job just leaves). */
  if (job->waiters->len == 0)
    {
      if (job->started)
        g_cancellable_cancel (job->cancellable);
      else
        {
          g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");

          g_queue_remove (&job->loader->queue, job);
          job_finish (job, NULL, error);
        }
    }
  return G_SOURCE_REMOVE;
}

static void
on_waiter_cancelled (GCancellable *cancellable,
                     gpointer      user_data)
{
  Waiter *waiter = user_data;

  /* Not from inside the handler: g_cancellable_disconnect() would block.
   * If the job ends first, it removes this idle. */
  if (waiter->drop_id == 0)
    waiter->drop_id = g_idle_add (drop_waiter, waiter);
}

static void
oip_thumbnail_loader_finalize (GObject *object)
{
  OipThumbnailLoader *self = (OipThumbnailLoader *)object;

  g_assert (g_hash_table_size (self->jobs) == 0);
  g_clear_object (&self->session);
  g_clear_object (&self->cache_dir);
  g_hash_table_unref (self->memory);
  g_hash_table_unref (self->jobs);
  g_queue_clear_full (&self->memory_order, g_free);

  G_OBJECT_CLASS (oip_thumbnail_loader_parent_class)->finalize (object);
}

static void
oip_thumbnail_loader_class_init (OipThumbnailLoaderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = oip_thumbnail_loader_finalize;
}

static void
oip_thumbnail_loader_init (OipThumbnailLoader *self)
{
  g_autofree char *user_agent = g_strdup_printf ("ozon-image-push/%s", PACKAGE_VERSION);

  self->session = soup_session_new_with_options ("user-agent", user_agent,
                                                 "timeout", 30,
                                                 "max-conns-per-host", MAX_RUNNING,
                                                 NULL);
  self->memory = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->jobs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) job_free);
  g_queue_init (&self->memory_order);
  g_queue_init (&self->queue);
}

/**
 * oip_thumbnail_loader_new:
 * @cache_dir: where thumbnails are kept between runs
 */
OipThumbnailLoader *
oip_thumbnail_loader_new (GFile *cache_dir)
{
  OipThumbnailLoader *self = g_object_new (OIP_TYPE_THUMBNAIL_LOADER, NULL);

  g_return_val_if_fail (G_IS_FILE (cache_dir), NULL);
  self->cache_dir = g_object_ref (cache_dir);
  return self;
}

/**
 * oip_thumbnail_loader_get_default:
 *
 * Returns: (transfer none): the app's loader, caching in
 *   `$XDG_CACHE_HOME/ozon-image-push/thumbnails`
 */
OipThumbnailLoader *
oip_thumbnail_loader_get_default (void)
{
  static OipThumbnailLoader *instance;

  if (instance == NULL)
    {
      g_autoptr(GFile) dir = g_file_new_build_filename (g_get_user_cache_dir (), "ozon-image-push",
                                                        "thumbnails", NULL);

      instance = oip_thumbnail_loader_new (dir);
    }
  return instance;
}

/**
 * oip_thumbnail_loader_load_async:
 * @url: the picture's address
 * @size: the longest side wanted, in device pixels
 *
 * Loads the thumbnail, from memory, the disk cache or the network.
 */
void
oip_thumbnail_loader_load_async (OipThumbnailLoader  *self,
                                 const char          *url,
                                 int                  size,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *key = NULL;
  GdkTexture *texture;
  Waiter *waiter;
  Job *job;

  g_return_if_fail (OIP_IS_THUMBNAIL_LOADER (self));
  g_return_if_fail (url != NULL);
  g_return_if_fail (size > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oip_thumbnail_loader_load_async);
  key = make_key (url, size);

  texture = g_hash_table_lookup (self->memory, key);
  if (texture != NULL)
    {
      g_task_return_pointer (task, g_object_ref (texture), g_object_unref);
      return;
    }

  job = g_hash_table_lookup (self->jobs, key);
  if (job == NULL)
    {
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, url, -1);
      g_autofree char *name = g_strdup_printf ("%s-%d.png", hash, size);

      job = g_new0 (Job, 1);
      job->loader = self;
      job->key = g_steal_pointer (&key);
      job->url = g_strdup (url);
      job->size = size;
      job->cache_file = g_file_get_child (self->cache_dir, name);
      job->cancellable = g_cancellable_new ();
      job->waiters = g_ptr_array_new ();
      g_hash_table_insert (self->jobs, job->key, job);
      g_object_ref (self);   /* released by job_finish() */
      g_queue_push_tail (&self->queue, job);
    }

  waiter = g_new0 (Waiter, 1);
  waiter->job = job;
  waiter->task = g_steal_pointer (&task);
  g_ptr_array_add (job->waiters, waiter);
  if (cancellable != NULL)
    {
      waiter->cancellable = g_object_ref (cancellable);
      waiter->handler = g_cancellable_connect (cancellable, G_CALLBACK (on_waiter_cancelled), waiter, NULL);
    }

  next_job (self);
}

/**
 * oip_thumbnail_loader_load_finish:
 *
 * Returns: (transfer full): the thumbnail, no larger than asked
 */
GdkTexture *
oip_thumbnail_loader_load_finish (OipThumbnailLoader  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * oip_thumbnail_loader_clear_memory:
 *
 * Forgets the thumbnails kept in memory (the disk cache stays).
 */
void
oip_thumbnail_loader_clear_memory (OipThumbnailLoader *self)
{
  g_return_if_fail (OIP_IS_THUMBNAIL_LOADER (self));
  g_hash_table_remove_all (self->memory);
  g_queue_clear_full (&self->memory_order, g_free);
  g_queue_init (&self->memory_order);
}

/**
 * oip_thumbnail_loader_get_n_fetched:
 *
 * Returns: how many pictures were downloaded (not found in a cache)
 */
guint
oip_thumbnail_loader_get_n_fetched (OipThumbnailLoader *self)
{
  g_return_val_if_fail (OIP_IS_THUMBNAIL_LOADER (self), 0);
  return self->n_fetched;
}
