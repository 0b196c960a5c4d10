/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "oip-draft.h"
#include "oip-error.h"
#include "oip-json.h"

/**
 * OipDraftStore:
 *
 * A seller's unpushed edits, kept on disk so that a crash or a closed
 * window loses nothing: one JSON file per product (`PRODUCT_ID.json`) in
 * a directory of the app's own. Saves are debounced (a burst of edits is
 * one write), written one at a time in a worker thread, and atomic (a
 * temporary file renamed over the old one), so a file on disk is always a
 * whole draft. The latest state of each product always wins: a save or a
 * discard made while another is being written is written after it.
 */
struct _OipDraftStore
{
  GObject     parent_instance;

  GFile      *dir;
  guint       delay;
  GHashTable *pending;      /* gint64 * → OipDraft * (NULL: delete the file) */
  guint       timeout_id;
  gboolean    writing;
  gint64      inflight_id;
  OipDraft   *inflight;     /* what is being written; NULL while deleting */
  GPtrArray  *flush_tasks;
};

G_DEFINE_FINAL_TYPE (OipDraftStore, oip_draft_store, G_TYPE_OBJECT)

#define DRAFT_VERSION 1
#define DRAFT_MAX_SIZE (1024 * 1024)
#define DEFAULT_DELAY_MS 300

static void write_next (OipDraftStore *self);

/* OipDraft {{{1 */

/**
 * oip_draft_new:
 * @product: the product the edits are for
 *
 * Returns: (transfer full): an empty draft; fill in its @urls
 */
OipDraft *
oip_draft_new (OipProduct *product)
{
  OipDraft *draft;

  g_return_val_if_fail (OIP_IS_PRODUCT (product), NULL);

  draft = g_new0 (OipDraft, 1);
  draft->product = g_object_ref (product);
  draft->urls = g_ptr_array_new_with_free_func (g_free);
  return draft;
}

OipDraft *
oip_draft_copy (const OipDraft *draft)
{
  OipDraft *copy;

  g_return_val_if_fail (draft != NULL, NULL);

  copy = oip_draft_new (draft->product);
  for (guint i = 0; i < draft->urls->len; i++)
    g_ptr_array_add (copy->urls, g_strdup (g_ptr_array_index (draft->urls, i)));
  copy->color_url = g_strdup (draft->color_url);
  copy->saved_at = draft->saved_at ? g_date_time_ref (draft->saved_at) : NULL;
  return copy;
}

void
oip_draft_free (OipDraft *draft)
{
  if (draft == NULL)
    return;
  g_clear_object (&draft->product);
  g_ptr_array_unref (draft->urls);
  g_free (draft->color_url);
  g_clear_pointer (&draft->saved_at, g_date_time_unref);
  g_free (draft);
}

/**
 * oip_draft_to_json:
 *
 * Returns: (transfer full): the draft as it is written to disk
 */
char *
oip_draft_to_json (const OipDraft *draft)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  gboolean main_seen = FALSE;

  g_return_val_if_fail (draft != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, DRAFT_VERSION);
  if (draft->saved_at != NULL)
    {
      g_autofree char *saved = g_date_time_format_iso8601 (draft->saved_at);

      json_builder_set_member_name (builder, "saved_at");
      json_builder_add_string_value (builder, saved);
    }
  json_builder_set_member_name (builder, "product");
  json_builder_add_value (builder, oip_product_to_json (draft->product));
  json_builder_set_member_name (builder, "images");
  json_builder_begin_array (builder);
  for (guint i = 0; i < draft->urls->len; i++)
    {
      const char *url = g_ptr_array_index (draft->urls, i);
      const char *role = "image";

      /* The roles are implied by the order and color_url; written out so
       * that the file explains itself. */
      if (g_strcmp0 (url, draft->color_url) == 0)
        role = "color";
      else if (!main_seen)
        {
          role = "main";
          main_seen = TRUE;
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "url");
      json_builder_add_string_value (builder, url);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, role);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return oip_json_to_string (root, TRUE);
}

static GError *
damaged (const char *reason)
{
  return g_error_new (OIP_ERROR, OIP_ERROR_STORE_CORRUPT, _("The saved draft is damaged (%s)"), reason);
}

/**
 * oip_draft_new_from_json:
 *
 * Reads back what oip_draft_to_json() wrote; anything else is refused
 * with %OIP_ERROR_STORE_CORRUPT.
 *
 * Returns: (transfer full) (nullable): the draft
 */
OipDraft *
oip_draft_new_from_json (const char  *data,
                         gsize        length,
                         GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(OipProduct) product = NULL;
  g_autoptr(OipDraft) draft = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  JsonObject *product_object;
  JsonArray *images;
  const char *saved;

  root = oip_json_parse (data, length, DRAFT_MAX_SIZE, &local_error);
  if (root == NULL)
    {
      g_propagate_error (error, damaged (local_error->message));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_propagate_error (error, damaged (_("not a JSON object")));
      return NULL;
    }
  object = json_node_get_object (root);
  if (oip_json_object_get_id (object, "version") != DRAFT_VERSION)
    {
      g_propagate_error (error, damaged (_("unknown version")));
      return NULL;
    }
  product_object = oip_json_object_get_object (object, "product");
  product = product_object ? oip_product_new_from_json (product_object) : NULL;
  images = oip_json_object_get_array (object, "images");
  if (product == NULL || images == NULL)
    {
      g_propagate_error (error, damaged (_("the product or its images are missing")));
      return NULL;
    }

  draft = oip_draft_new (product);
  for (guint i = 0; i < json_array_get_length (images); i++)
    {
      JsonNode *node = json_array_get_element (images, i);
      const char *url;
      const char *role;

      if (!JSON_NODE_HOLDS_OBJECT (node) ||
          (url = oip_json_object_get_string (json_node_get_object (node), "url")) == NULL ||
          *url == '\0')
        {
          g_propagate_error (error, damaged (_("an image has no address")));
          return NULL;
        }
      role = oip_json_object_get_string (json_node_get_object (node), "role");
      if (g_strcmp0 (role, "color") == 0 && draft->color_url == NULL)
        draft->color_url = g_strdup (url);
      g_ptr_array_add (draft->urls, g_strdup (url));
    }
  saved = oip_json_object_get_string (object, "saved_at");
  if (saved != NULL)
    draft->saved_at = g_date_time_new_from_iso8601 (saved, NULL);
  return g_steal_pointer (&draft);
}

/* Writing {{{1 */

typedef struct
{
  GFile *file;
  char  *contents;   /* NULL: delete */
} WriteData;

static void
write_data_free (WriteData *data)
{
  g_clear_object (&data->file);
  g_free (data->contents);
  g_free (data);
}

static void
write_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteData *data = task_data;
  g_autoptr(GFile) dir = g_file_get_parent (data->file);
  g_autoptr(GError) error = NULL;

  if (data->contents == NULL)
    {
      if (!g_file_delete (data->file, NULL, &error) && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (!g_file_make_directory_with_parents (dir, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_clear_error (&error);
  /* A temporary file renamed over the old one: never half a draft. */
  if (!g_file_replace_contents (data->file, data->contents, strlen (data->contents), NULL, FALSE,
                                G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                NULL, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  OipDraftStore *self = OIP_DRAFT_STORE (source);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_message ("Could not keep the unpushed edits of product %" G_GINT64_FORMAT ": %s",
               self->inflight_id, error->message);
  self->writing = FALSE;
  g_clear_pointer (&self->inflight, oip_draft_free);
  self->inflight_id = 0;
  write_next (self);
}

static void
finish_flushes (OipDraftStore *self)
{
  g_autoptr(GPtrArray) tasks = g_steal_pointer (&self->flush_tasks);

  self->flush_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < tasks->len; i++)
    g_task_return_boolean (g_ptr_array_index (tasks, i), TRUE);
}

static void
write_next (OipDraftStore *self)
{
  g_autoptr(GTask) task = NULL;
  GHashTableIter iter;
  gpointer key, value;
  WriteData *data;

  if (self->writing)
    return;

  g_hash_table_iter_init (&iter, self->pending);
  if (!g_hash_table_iter_next (&iter, &key, &value))
    {
      finish_flushes (self);
      return;
    }

  self->writing = TRUE;
  self->inflight_id = *(gint64 *) key;
  self->inflight = value;
  g_hash_table_iter_steal (&iter);
  g_free (key);

  data = g_new0 (WriteData, 1);
  data->file = oip_draft_store_get_file (self, self->inflight_id);
  data->contents = self->inflight ? oip_draft_to_json (self->inflight) : NULL;

  task = g_task_new (self, NULL, on_written, NULL);
  g_task_set_source_tag (task, write_next);
  g_task_set_task_data (task, data, (GDestroyNotify) write_data_free);
  g_task_run_in_thread (task, write_thread);
}

static gboolean
on_timeout (gpointer user_data)
{
  OipDraftStore *self = user_data;

  self->timeout_id = 0;
  write_next (self);
  return G_SOURCE_REMOVE;
}

static void
schedule (OipDraftStore *self,
          gint64         product_id,
          OipDraft      *draft)
{
  gint64 *key = g_new (gint64, 1);

  *key = product_id;
  g_hash_table_replace (self->pending, key, draft);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->timeout_id = g_timeout_add (self->delay, on_timeout, self);
}

/* Reading {{{1 */

static OipDraft *
read_draft (GFile   *file,
            GError **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, &local_error))
    {
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return oip_draft_new_from_json (contents, length, error);
}

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  OipDraft *draft = read_draft (task_data, &error);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, draft, (GDestroyNotify) oip_draft_free);
}

static void
load_latest_thread (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GFile *dir = task_data;
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(OipDraft) latest = NULL;
  g_autoptr(GError) error = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME, G_FILE_QUERY_INFO_NONE,
                                        cancellable, &error);
  if (children == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  while ((info = g_file_enumerator_next_file (children, cancellable, NULL)) != NULL)
    {
      g_autoptr(GFileInfo) owned = info;
      g_autoptr(GFile) file = NULL;
      g_autoptr(OipDraft) draft = NULL;

      if (!g_str_has_suffix (g_file_info_get_name (info), ".json"))
        continue;
      file = g_file_get_child (dir, g_file_info_get_name (info));
      draft = read_draft (file, NULL);
      if (draft == NULL || draft->saved_at == NULL)
        continue;
      if (latest == NULL || g_date_time_compare (draft->saved_at, latest->saved_at) > 0)
        {
          g_clear_pointer (&latest, oip_draft_free);
          latest = g_steal_pointer (&draft);
        }
    }
  g_task_return_pointer (task, g_steal_pointer (&latest), (GDestroyNotify) oip_draft_free);
}

/* Object {{{1 */

static void
oip_draft_store_dispose (GObject *object)
{
  OipDraftStore *self = (OipDraftStore *)object;

  g_clear_handle_id (&self->timeout_id, g_source_remove);

  G_OBJECT_CLASS (oip_draft_store_parent_class)->dispose (object);
}

static void
oip_draft_store_finalize (GObject *object)
{
  OipDraftStore *self = (OipDraftStore *)object;

  g_clear_object (&self->dir);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->inflight, oip_draft_free);
  g_clear_pointer (&self->flush_tasks, g_ptr_array_unref);

  G_OBJECT_CLASS (oip_draft_store_parent_class)->finalize (object);
}

static void
oip_draft_store_class_init (OipDraftStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = oip_draft_store_dispose;
  object_class->finalize = oip_draft_store_finalize;
}

static void
oip_draft_store_init (OipDraftStore *self)
{
  self->delay = DEFAULT_DELAY_MS;
  self->pending = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) oip_draft_free);
  self->flush_tasks = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * oip_draft_store_new:
 * @dir: where the drafts live; made when the first one is written
 */
OipDraftStore *
oip_draft_store_new (GFile *dir)
{
  OipDraftStore *self;

  g_return_val_if_fail (G_IS_FILE (dir), NULL);

  self = g_object_new (OIP_TYPE_DRAFT_STORE, NULL);
  self->dir = g_object_ref (dir);
  return self;
}

/**
 * oip_draft_store_get_file:
 *
 * Returns: (transfer full): the file of @product_id's draft
 */
GFile *
oip_draft_store_get_file (OipDraftStore *self,
                          gint64         product_id)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (OIP_IS_DRAFT_STORE (self), NULL);
  name = g_strdup_printf ("%" G_GINT64_FORMAT ".json", product_id);
  return g_file_get_child (self->dir, name);
}

/**
 * oip_draft_store_set_delay:
 *
 * How long edits gather before they are written (300 ms unless set).
 */
void
oip_draft_store_set_delay (OipDraftStore *self,
                           guint          milliseconds)
{
  g_return_if_fail (OIP_IS_DRAFT_STORE (self));
  self->delay = milliseconds;
}

/**
 * oip_draft_store_save:
 * @draft: the edits as they are now (copied)
 *
 * Writes @draft soon, replacing the product's earlier draft.
 */
void
oip_draft_store_save (OipDraftStore  *self,
                      const OipDraft *draft)
{
  OipDraft *copy;

  g_return_if_fail (OIP_IS_DRAFT_STORE (self));
  g_return_if_fail (draft != NULL);

  copy = oip_draft_copy (draft);
  g_clear_pointer (&copy->saved_at, g_date_time_unref);
  copy->saved_at = g_date_time_new_now_utc ();
  schedule (self, oip_product_get_product_id (draft->product), copy);
}

/**
 * oip_draft_store_discard:
 *
 * Forgets @product_id's draft: after a successful push, or when the seller
 * throws the edits away. A save still waiting is dropped.
 */
void
oip_draft_store_discard (OipDraftStore *self,
                         gint64         product_id)
{
  g_return_if_fail (OIP_IS_DRAFT_STORE (self));
  schedule (self, product_id, NULL);
}

/**
 * oip_draft_store_load_async:
 *
 * Reads @product_id's draft, as last saved (even if not written yet).
 */
void
oip_draft_store_load_async (OipDraftStore       *self,
                            gint64               product_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OipDraft *draft;

  g_return_if_fail (OIP_IS_DRAFT_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oip_draft_store_load_async);

  /* What is waiting or being written is newer than the file. */
  if (g_hash_table_lookup_extended (self->pending, &product_id, NULL, (gpointer *) &draft) ||
      (self->writing && self->inflight_id == product_id && ((draft = self->inflight), TRUE)))
    {
      g_task_return_pointer (task, draft ? oip_draft_copy (draft) : NULL, (GDestroyNotify) oip_draft_free);
      return;
    }
  g_task_set_task_data (task, oip_draft_store_get_file (self, product_id), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

/**
 * oip_draft_store_load_finish:
 *
 * Returns: (transfer full) (nullable): the draft; %NULL without an error
 *   when there is none
 */
OipDraft *
oip_draft_store_load_finish (OipDraftStore  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oip_draft_store_load_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * oip_draft_store_load_latest_async:
 *
 * Reads the draft saved last, of any product: what the seller was doing
 * when the app last stopped. Damaged files are skipped.
 */
void
oip_draft_store_load_latest_async (OipDraftStore       *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OIP_IS_DRAFT_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oip_draft_store_load_latest_async);
  g_task_set_task_data (task, g_object_ref (self->dir), g_object_unref);
  g_task_run_in_thread (task, load_latest_thread);
}

/**
 * oip_draft_store_load_latest_finish:
 *
 * Returns: (transfer full) (nullable): the draft; %NULL when there is none
 */
OipDraft *
oip_draft_store_load_latest_finish (OipDraftStore  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  OipDraft *draft;
  OipDraft *pending;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oip_draft_store_load_latest_async, NULL);

  draft = g_task_propagate_pointer (G_TASK (result), error);
  if (draft == NULL)
    return NULL;
  /* Discarded or changed since it was read. */
  if (g_hash_table_lookup_extended (self->pending, &(gint64) { oip_product_get_product_id (draft->product) },
                                    NULL, (gpointer *) &pending))
    {
      oip_draft_free (draft);
      return pending ? oip_draft_copy (pending) : NULL;
    }
  return draft;
}

/**
 * oip_draft_store_flush_async:
 *
 * Writes everything waiting now, and completes when it is on disk.
 */
void
oip_draft_store_flush_async (OipDraftStore       *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (OIP_IS_DRAFT_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oip_draft_store_flush_async);
  if (oip_draft_store_is_idle (self))
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  g_ptr_array_add (self->flush_tasks, task);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  write_next (self);
}

gboolean
oip_draft_store_flush_finish (OipDraftStore  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * oip_draft_store_is_idle:
 *
 * Returns: whether every save and discard is on disk
 */
gboolean
oip_draft_store_is_idle (OipDraftStore *self)
{
  g_return_val_if_fail (OIP_IS_DRAFT_STORE (self), FALSE);
  return !self->writing && g_hash_table_size (self->pending) == 0;
}
