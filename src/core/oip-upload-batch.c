/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "oip-error.h"
#include "oip-image-check.h"
#include "oip-upload-batch.h"

/**
 * OipUploadBatch:
 *
 * Local pictures on their way to the seller's storage: each file is read,
 * checked against Ozon's rules and hashed in a worker thread, and
 * uploaded, at most a few at a time (each holds its file in memory until
 * it is sent). #OipUploadBatch::file-progress reports the bytes of each
 * file as they are sent; the first file that cannot be sent stops the
 * others and is named in the error. The URLs come back in the files'
 * order.
 */
struct _OipUploadBatch
{
  GObject       parent_instance;

  OipS3Client  *client;
  GPtrArray    *files;         /* GFile */
  guint         max_parallel;
  OipImageBuffers *buffers;    /* reused from file to file */
  char        **urls;
  guint64      *sent;          /* per file */
  guint64       bytes_sent;    /* their sum, kept as it changes */
  guint64       bytes_total;   /* the sizes of the files read so far */
  GPtrArray    *warnings;      /* char * */
  guint         next;
  guint         running;
  guint         n_done;
  guint         n_uploaded;
  GCancellable *cancellable;   /* stops every file when one fails */
  GError       *error;
  int           failed_index;  /* the file behind @error, or -1 */
  GTask        *task;
  GCancellable *caller_cancellable;
  gulong        cancelled_id;
};

G_DEFINE_FINAL_TYPE (OipUploadBatch, oip_upload_batch, G_TYPE_OBJECT)

enum {
  FILE_PROGRESS,
  FILE_DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  OipUploadBatch *batch;    /* unowned: the batch outlives its jobs */
  guint           index;
  GBytes         *content;     /* NULL, with @error, if it could not be read */
  GError         *error;
  char           *sha256;
  OipImageCheck  *check;
  const char     *converted_from;
  guint64         reported;    /* bytes sent at the last file-progress */
} Job;

static void start_next (OipUploadBatch *self);

static void
job_free (Job *job)
{
  g_clear_pointer (&job->content, g_bytes_unref);
  g_clear_error (&job->error);
  g_free (job->sha256);
  g_clear_pointer (&job->check, oip_image_check_free);
  g_free (job);
}

static char *
file_name (OipUploadBatch *self,
           guint           index)
{
  return g_file_get_basename (g_ptr_array_index (self->files, index));
}

static void
job_done (Job    *job,
          GError *error)
{
  OipUploadBatch *self = job->batch;

  if (error != NULL && self->error == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->error = g_steal_pointer (&error);
      self->failed_index = job->index;
      g_cancellable_cancel (self->cancellable);
    }
  else if (error != NULL && self->error == NULL)
    self->error = g_steal_pointer (&error);
  g_clear_error (&error);

  self->running--;
  self->n_done++;
  g_signal_emit (self, signals[FILE_DONE], 0, job->index);
  job_free (job);
  start_next (self);
}

static void
on_progress (guint64  sent,
             guint64  total,
             gpointer user_data)
{
  Job *job = user_data;
  OipUploadBatch *self = job->batch;

  /* A retry starts again from 0. */
  self->bytes_sent = self->bytes_sent - self->sent[job->index] + sent;
  self->sent[job->index] = sent;

  /* libsoup reports every 8 KB written; a bar needs less: every 1/64 of
   * the file, its end, and any step back. */
  if (sent < total && sent >= job->reported && sent - job->reported < MAX (total / 64, 1))
    return;
  job->reported = sent;
  g_signal_emit (self, signals[FILE_PROGRESS], 0, job->index, sent, total);
}

static void
on_uploaded (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Job *job = user_data;
  GError *error = NULL;
  gboolean uploaded = FALSE;
  char *url = oip_s3_client_upload_finish (OIP_S3_CLIENT (source), result, &uploaded, &error);

  if (url != NULL)
    {
      job->batch->urls[job->index] = url;
      job->batch->n_uploaded += uploaded;
    }
  job_done (job, error);
}

/* Everything a file needs before it is sent, in a worker thread: read
 * (one read into one buffer), checked by structure, converted if it must
 * be, hashed once (the hash names the object and signs its upload). */
static void
prepare_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  Job *job = task_data;
  GFile *file = g_ptr_array_index (job->batch->files, job->index);

  /* Bounded: a device or a FIFO named as a picture does not fill memory. */
  job->content = oip_image_load (file, job->batch->buffers, cancellable, &job->error);
  if (job->content == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  job->check = oip_image_check_bytes (job->content);

  /* WebP and HEIC (phones' pictures) become JPEG, where this computer can
   * read them; the seller is told. */
  if (job->check->format == OIP_IMAGE_FORMAT_WEBP || job->check->format == OIP_IMAGE_FORMAT_HEIC)
    {
      g_autoptr(GBytes) jpeg = oip_image_convert_to_jpeg (job->content, job->check->format, NULL);

      if (jpeg != NULL)
        {
          job->converted_from = job->check->format == OIP_IMAGE_FORMAT_WEBP ? "WebP" : "HEIC";
          g_bytes_unref (job->content);
          job->content = g_steal_pointer (&jpeg);
          oip_image_check_free (job->check);
          job->check = oip_image_check_bytes (job->content);
        }
    }
  if (oip_image_check_worst (job->check) != OIP_IMAGE_ERROR)
    job->sha256 = oip_s3_client_hash (job->content);
  g_task_return_boolean (task, TRUE);
}

static void
on_prepared (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Job *job = user_data;
  OipUploadBatch *self = job->batch;
  g_autofree char *name = file_name (self, job->index);
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (self->cancellable, &error))
    {
      job_done (job, error);
      return;
    }

  if (job->content == NULL)
    {
      g_autoptr(GError) failure = g_steal_pointer (&job->error);

      if (g_error_matches (failure, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        job_done (job, g_steal_pointer (&failure));
      else
        job_done (job, g_error_new (OIP_ERROR, failure->domain == OIP_ERROR ? failure->code : OIP_ERROR_IO,
                                    _("Could not read %s: %s"), name, failure->message));
      return;
    }

  self->bytes_total += g_bytes_get_size (job->content);

  error = oip_image_check_to_error (job->check, name);
  if (error != NULL)
    {
      job_done (job, error);
      return;
    }
  if (job->converted_from != NULL)
    g_ptr_array_add (self->warnings, g_strdup_printf (_("%s: converted from %s to JPEG"), name, job->converted_from));
  for (guint i = 0; i < job->check->findings->len; i++)
    {
      OipImageFinding *finding = g_ptr_array_index (job->check->findings, i);

      g_ptr_array_add (self->warnings, g_strdup_printf ("%s: %s", name, finding->message));
    }

  oip_s3_client_upload_async (self->client, job->content, job->sha256,
                              oip_image_format_mime_type (job->check->format),
                              oip_image_format_extension (job->check->format),
                              on_progress, job, self->cancellable, on_uploaded, job);
}

static void
start_next (OipUploadBatch *self)
{
  while (self->running < self->max_parallel && self->next < self->files->len &&
         !g_cancellable_is_cancelled (self->cancellable))
    {
      Job *job = g_new0 (Job, 1);
      g_autoptr(GTask) prepare = g_task_new (NULL, self->cancellable, on_prepared, job);

      job->batch = self;
      job->index = self->next++;
      self->running++;
      g_task_set_task_data (prepare, job, NULL);
      g_task_run_in_thread (prepare, prepare_in_thread);
    }

  if (self->running > 0 || self->task == NULL)
    return;

  if (self->caller_cancellable != NULL)
    {
      g_cancellable_disconnect (self->caller_cancellable, self->cancelled_id);
      g_clear_object (&self->caller_cancellable);
    }

  if (self->error != NULL)
    g_task_return_error (self->task, g_steal_pointer (&self->error));
  else if (self->n_done < self->files->len)
    g_task_return_new_error (self->task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
  else
    g_task_return_pointer (self->task, g_strdupv (self->urls), (GDestroyNotify) g_strfreev);
  g_clear_object (&self->task);
}

static void
oip_upload_batch_finalize (GObject *object)
{
  OipUploadBatch *self = (OipUploadBatch *)object;

  g_clear_object (&self->client);
  g_ptr_array_unref (self->files);
  oip_image_buffers_unref (self->buffers);
  g_strfreev (self->urls);
  g_free (self->sent);
  g_ptr_array_unref (self->warnings);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (oip_upload_batch_parent_class)->finalize (object);
}

static void
oip_upload_batch_class_init (OipUploadBatchClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = oip_upload_batch_finalize;

  /**
   * OipUploadBatch::file-progress:
   * @index: the file
   * @sent: its bytes sent so far
   * @total: its size
   *
   * Emitted as the file goes out, about every 1/64 of it, and once it is
   * all sent (or found already stored).
   */
  signals[FILE_PROGRESS] = g_signal_new ("file-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                         G_TYPE_UINT, G_TYPE_UINT64, G_TYPE_UINT64);
  /**
   * OipUploadBatch::file-done:
   * @index: the file that is uploaded, found already there, or failed
   */
  signals[FILE_DONE] = g_signal_new ("file-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
oip_upload_batch_init (OipUploadBatch *self)
{
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();
  self->failed_index = -1;
}

/**
 * oip_upload_batch_new:
 * @files: (element-type GFile): the pictures, in order
 * @max_parallel: how many files at once
 */
OipUploadBatch *
oip_upload_batch_new (OipS3Client *client,
                      GPtrArray   *files,
                      guint        max_parallel)
{
  OipUploadBatch *self;

  g_return_val_if_fail (OIP_IS_S3_CLIENT (client), NULL);
  g_return_val_if_fail (files != NULL, NULL);

  self = g_object_new (OIP_TYPE_UPLOAD_BATCH, NULL);
  self->client = g_object_ref (client);
  self->files = g_ptr_array_copy (files, (GCopyFunc) g_object_ref, NULL);
  g_ptr_array_set_free_func (self->files, g_object_unref);
  self->max_parallel = MAX (max_parallel, 1);
  self->buffers = oip_image_buffers_new (self->max_parallel);
  self->urls = g_new0 (char *, files->len + 1);
  self->sent = g_new0 (guint64, files->len);
  return self;
}

guint
oip_upload_batch_get_n_files (OipUploadBatch *self)
{
  return self->files->len;
}

guint
oip_upload_batch_get_n_done (OipUploadBatch *self)
{
  return self->n_done;
}

/**
 * oip_upload_batch_get_n_uploaded:
 *
 * Returns: how many files were sent; the others were already stored
 */
guint
oip_upload_batch_get_n_uploaded (OipUploadBatch *self)
{
  return self->n_uploaded;
}

guint64
oip_upload_batch_get_bytes_sent (OipUploadBatch *self)
{
  return self->bytes_sent;
}

/**
 * oip_upload_batch_get_bytes_total:
 *
 * Returns: the size of the files read so far
 */
guint64
oip_upload_batch_get_bytes_total (OipUploadBatch *self)
{
  return self->bytes_total;
}

/**
 * oip_upload_batch_get_warnings:
 *
 * Returns: (transfer none) (element-type utf8): doubts about pictures that
 *   were sent all the same (“name: reason”)
 */
GPtrArray *
oip_upload_batch_get_warnings (OipUploadBatch *self)
{
  return self->warnings;
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

void
oip_upload_batch_run_async (OipUploadBatch      *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (OIP_IS_UPLOAD_BATCH (self));
  g_return_if_fail (self->task == NULL && self->next == 0);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, oip_upload_batch_run_async);
  if (cancellable != NULL)
    {
      self->caller_cancellable = g_object_ref (cancellable);
      self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                                                  g_object_ref (self->cancellable), g_object_unref);
    }
  start_next (self);
}

/**
 * oip_upload_batch_run_finish:
 *
 * Returns: (transfer full): the public URLs, in the files' order
 */
GStrv
oip_upload_batch_run_finish (OipUploadBatch  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * oip_upload_batch_get_url:
 * @index: a file
 *
 * Returns: (nullable): the file's public address once it is uploaded (or
 *   found already there)
 */
const char *
oip_upload_batch_get_url (OipUploadBatch *self,
                          guint           index)
{
  g_return_val_if_fail (OIP_IS_UPLOAD_BATCH (self), NULL);
  g_return_val_if_fail (index < self->files->len, NULL);
  return self->urls[index];
}

/**
 * oip_upload_batch_get_failed_index:
 *
 * Returns: the file whose failure stopped the batch, or -1
 */
int
oip_upload_batch_get_failed_index (OipUploadBatch *self)
{
  g_return_val_if_fail (OIP_IS_UPLOAD_BATCH (self), -1);
  return self->failed_index;
}
