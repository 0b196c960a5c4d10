/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "oip-bulk-run-private.h"
#include "oip-enum-types.h"
#include "oip-error.h"

/**
 * OipBulkRun:
 *
 * A bulk push: many products from a CSV or a folder of product folders,
 * each pushed as a single push would be, at the pace Ozon allows.
 *
 * oip_bulk_run_plan_async() looks the products up (up to 1000 identifiers
 * a call) and checks every image, and reads the account's daily quota:
 * the review, with nothing sent. oip_bulk_run_confirm() refuses a run
 * larger than what is left today. oip_bulk_run_send_async() then uploads
 * the local files once for the whole run, imports up to 100 products a
 * call, paced to Ozon's per-minute limit, follows every import task and
 * reads the products back; each product's push is a history record.
 *
 * The run's plan and every product's progress are in the database from
 * the moment it is confirmed: oip_bulk_run_load_async() goes on with a run
 * that was cancelled, killed or held by Ozon's daily limit, sending
 * nothing twice. oip_bulk_run_new_undo_async() makes the run that puts
 * every product's images back.
 *
 * Front ends observe it: #OipBulkRun:stage, the counts, #OipBulkRun:fraction
 * and #OipBulkRun:seconds-left, the #GListModel of #OipBulkItem objects
 * (oip_bulk_run_get_items()), and #OipBulkRun::item-finished.
 */

G_DEFINE_FINAL_TYPE (OipBulkRun, oip_bulk_run, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_STAGE,
  PROP_N_ITEMS,
  PROP_N_TO_SEND,
  PROP_N_DONE,
  PROP_N_IMPORTED,
  PROP_N_PARTIAL,
  PROP_N_FAILED,
  PROP_N_NOT_FOUND,
  PROP_N_INVALID,
  PROP_N_SKIPPED,
  PROP_FRACTION,
  PROP_SECONDS_LEFT,
  PROP_RATE,
  PROP_DAILY_LEFT,
  PROP_WAITING_UNTIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ITEM_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The counts that are properties, by state. */
static const struct {
  OipBulkItemState state;
  guint            prop;
} count_props[] = {
  { OIP_BULK_ITEM_IMPORTED, PROP_N_IMPORTED },
  { OIP_BULK_ITEM_PARTIAL, PROP_N_PARTIAL },
  { OIP_BULK_ITEM_FAILED, PROP_N_FAILED },
  { OIP_BULK_ITEM_NOT_FOUND, PROP_N_NOT_FOUND },
  { OIP_BULK_ITEM_INVALID, PROP_N_INVALID },
  { OIP_BULK_ITEM_SKIPPED, PROP_N_SKIPPED },
};

static void
notify (OipBulkRun *self,
        guint       prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static OipBulkProblem *
problem_copy (const OipBulkProblem *problem)
{
  OipBulkProblem *copy = g_new0 (OipBulkProblem, 1);

  copy->line = problem->line;
  copy->where = g_strdup (problem->where);
  copy->code = problem->code;
  copy->message = g_strdup (problem->message);
  return copy;
}

/* Counting */

static void
count_item (OipBulkRun  *self,
            OipBulkItem *item)
{
  gboolean was_done = item->counted >= 0 && item->in_run &&
                      (item->counted == OIP_BULK_ITEM_IMPORTED || item->counted == OIP_BULK_ITEM_PARTIAL ||
                       item->counted == OIP_BULK_ITEM_FAILED || item->counted == OIP_BULK_ITEM_INVALID ||
                       item->counted == OIP_BULK_ITEM_SKIPPED || item->counted == OIP_BULK_ITEM_NOT_FOUND);
  gboolean done = item->in_run && oip_bulk_item_is_finished (item);

  if (item->counted >= 0)
    self->counts[item->counted]--;
  self->counts[item->state]++;
  item->counted = item->state;
  if (was_done != done)
    {
      self->n_done += done ? 1 : -1;
      notify (self, PROP_N_DONE);
    }
}

static void
on_item_state (OipBulkItem *item,
               GParamSpec  *pspec,
               OipBulkRun  *self)
{
  OipBulkItemState old = item->counted;

  count_item (self, item);
  for (guint i = 0; i < G_N_ELEMENTS (count_props); i++)
    if (count_props[i].state == old || count_props[i].state == item->state)
      notify (self, count_props[i].prop);
}

/**
 * oip_bulk_run_recount:
 *
 * Counts every item again (after items were added or marked in the run).
 */
void
oip_bulk_run_recount (OipBulkRun *self)
{
  guint n_to_send = 0;

  memset (self->counts, 0, sizeof self->counts);
  self->n_done = 0;
  for (guint i = 0; i < oip_bulk_run_n_items (self); i++)
    {
      OipBulkItem *item = oip_bulk_run_item_at (self, i);

      item->counted = -1;
      count_item (self, item);
      n_to_send += item->in_run;
    }
  self->n_to_send = n_to_send;
  for (guint i = 0; i < G_N_ELEMENTS (count_props); i++)
    notify (self, count_props[i].prop);
  notify (self, PROP_N_TO_SEND);
  notify (self, PROP_N_DONE);
}

static void
add_item (OipBulkRun  *self,
          OipBulkItem *item)
{
  g_signal_connect_object (item, "notify::state", G_CALLBACK (on_item_state), self, 0);
  g_list_store_append (self->items, item);
}

/* Progress */

void
oip_bulk_run_set_stage (OipBulkRun   *self,
                        OipBulkStage  stage)
{
  if (self->stage == stage)
    return;
  self->stage = stage;
  notify (self, PROP_STAGE);
}

/**
 * oip_bulk_run_update_progress:
 *
 * The fraction done, the products a minute so far and the time left: by
 * what was done since this send began, and never less than Ozon's
 * per-minute limit allows.
 */
void
oip_bulk_run_update_progress (OipBulkRun *self)
{
  double fraction = self->n_to_send > 0 ? (double) self->n_done / self->n_to_send : 0.0;
  double elapsed = oip_bulk_run_get_elapsed (self);
  guint done_now = self->n_done > self->done_at_start ? self->n_done - self->done_at_start : 0;
  guint left = self->n_to_send - MIN (self->n_done, self->n_to_send);
  double per_second = elapsed > 0.5 && done_now > 0 ? done_now / elapsed : 0.0;
  double allowed = self->per_minute > 0 ? self->per_minute * 1000.0 / self->minute_ms : 0.0;
  double seconds = -1.0;

  if (allowed > 0 && (per_second == 0.0 || per_second > allowed))
    per_second = allowed;
  if (left == 0)
    seconds = 0.0;
  else if (per_second > 0)
    seconds = left / per_second;

  if (fabs (self->fraction - fraction) > 0.0005)
    {
      self->fraction = fraction;
      notify (self, PROP_FRACTION);
    }
  if (fabs (self->seconds_left - seconds) > 0.5)
    {
      self->seconds_left = seconds;
      notify (self, PROP_SECONDS_LEFT);
    }
  if (fabs (self->rate - per_second * 60.0) > 0.05)
    {
      self->rate = per_second * 60.0;
      notify (self, PROP_RATE);
    }
}

/**
 * oip_bulk_run_item_finished:
 *
 * Says that @item has its outcome: #OipBulkRun::item-finished.
 */
void
oip_bulk_run_item_finished (OipBulkRun  *self,
                            OipBulkItem *item)
{
  oip_bulk_run_update_progress (self);
  g_signal_emit (self, signals[ITEM_FINISHED], 0, item);
}

void
oip_bulk_run_add_warning (OipBulkRun *self,
                          const char *warning)
{
  if (!g_ptr_array_find_with_equal_func (self->warnings, warning, g_str_equal, NULL))
    g_ptr_array_add (self->warnings, g_strdup (warning));
}

void
oip_bulk_run_set_limits (OipBulkRun          *self,
                         const OipOzonLimits *limits)
{
  self->daily_limit = limits->daily_limit;
  self->daily_left = oip_ozon_limits_daily_left (limits);
  if (limits->per_minute > 0)
    self->per_minute = limits->per_minute;
  notify (self, PROP_DAILY_LEFT);
}

OipBulkItem *
oip_bulk_run_item_at (OipBulkRun *self,
                      guint       position)
{
  g_autoptr(OipBulkItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), position);

  return item;   /* the store keeps it */
}

guint
oip_bulk_run_n_items (OipBulkRun *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->items));
}

/* GObject */

static void
oip_bulk_run_dispose (GObject *object)
{
  OipBulkRun *self = OIP_BULK_RUN (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_pointer (&self->engine, oip_bulk_send_free);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (oip_bulk_run_parent_class)->dispose (object);
}

static void
oip_bulk_run_finalize (GObject *object)
{
  OipBulkRun *self = OIP_BULK_RUN (object);

  g_assert (self->task == NULL);
  g_clear_object (&self->context);
  g_free (self->source);
  g_free (self->recorded_client);
  g_clear_object (&self->items);
  g_ptr_array_unref (self->input_problems);
  g_ptr_array_unref (self->warnings);
  g_hash_table_unref (self->files);
  G_OBJECT_CLASS (oip_bulk_run_parent_class)->finalize (object);
}

static void
oip_bulk_run_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  OipBulkRun *self = OIP_BULK_RUN (object);

  for (guint i = 0; i < G_N_ELEMENTS (count_props); i++)
    if (count_props[i].prop == prop_id)
      {
        g_value_set_uint (value, self->counts[count_props[i].state]);
        return;
      }
  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_STAGE: g_value_set_enum (value, self->stage); break;
    case PROP_N_ITEMS: g_value_set_uint (value, oip_bulk_run_n_items (self)); break;
    case PROP_N_TO_SEND: g_value_set_uint (value, self->n_to_send); break;
    case PROP_N_DONE: g_value_set_uint (value, self->n_done); break;
    case PROP_FRACTION: g_value_set_double (value, self->fraction); break;
    case PROP_SECONDS_LEFT: g_value_set_double (value, self->seconds_left); break;
    case PROP_RATE: g_value_set_double (value, self->rate); break;
    case PROP_DAILY_LEFT: g_value_set_int64 (value, self->daily_left); break;
    case PROP_WAITING_UNTIL: g_value_set_int64 (value, self->waiting_until); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
oip_bulk_run_class_init (OipBulkRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = oip_bulk_run_dispose;
  object_class->finalize = oip_bulk_run_finalize;
  object_class->get_property = oip_bulk_run_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_STAGE] = g_param_spec_enum ("stage", NULL, NULL, OIP_TYPE_BULK_STAGE, OIP_BULK_STAGE_IDLE, flags);
  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_TO_SEND] = g_param_spec_uint ("n-to-send", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_DONE] = g_param_spec_uint ("n-done", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_IMPORTED] = g_param_spec_uint ("n-imported", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_PARTIAL] = g_param_spec_uint ("n-partial", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_FAILED] = g_param_spec_uint ("n-failed", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_NOT_FOUND] = g_param_spec_uint ("n-not-found", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_INVALID] = g_param_spec_uint ("n-invalid", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_SKIPPED] = g_param_spec_uint ("n-skipped", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_FRACTION] = g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0, flags);
  properties[PROP_SECONDS_LEFT] = g_param_spec_double ("seconds-left", NULL, NULL, -1.0, G_MAXDOUBLE, -1.0, flags);
  properties[PROP_RATE] = g_param_spec_double ("rate", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0, flags);
  properties[PROP_DAILY_LEFT] = g_param_spec_int64 ("daily-left", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties[PROP_WAITING_UNTIL] = g_param_spec_int64 ("waiting-until", NULL, NULL, 0, G_MAXINT64, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * OipBulkRun::item-finished:
   * @item: a product that has its outcome
   *
   * Once for each product pushed by this send, as it finishes.
   */
  signals[ITEM_FINISHED] = g_signal_new ("item-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, OIP_TYPE_BULK_ITEM);
}

static void
oip_bulk_run_init (OipBulkRun *self)
{
  self->items = g_list_store_new (OIP_TYPE_BULK_ITEM);
  self->input_problems = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_bulk_problem_free);
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  self->files = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) oip_bulk_file_free);
  self->kind = OIP_PUSH_KIND_PUSH;
  self->daily_limit = self->daily_left = self->per_minute = -1;
  self->seconds_left = -1.0;
  self->minute_ms = 60 * 1000;
  self->max_open_tasks = 4;
}

/* Ending a plan or a send */

/**
 * oip_bulk_run_return:
 * @error: (transfer full) (nullable): why it stopped
 *
 * Completes the plan or the send under way.
 */
void
oip_bulk_run_return (OipBulkRun *self,
                     GError     *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  g_assert (task != NULL);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  self->waiting_until = 0;
  notify (self, PROP_WAITING_UNTIL);
  oip_bulk_run_update_progress (self);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
oip_bulk_run_set_waiting_until (OipBulkRun *self,
                                gint64      until)
{
  if (self->waiting_until == until)
    return;
  self->waiting_until = until;
  notify (self, PROP_WAITING_UNTIL);
}

void
oip_bulk_run_set_id (OipBulkRun *self,
                     gint64      id)
{
  self->id = id;
  notify (self, PROP_ID);
}

/* Public: making a run */

/**
 * oip_bulk_run_new:
 * @input: what the CSV or the folder said (copied)
 * @source: (nullable): where it came from (a path), for the history
 *
 * Returns: (transfer full): a run, to plan
 */
OipBulkRun *
oip_bulk_run_new (OipContext         *context,
                  const OipBulkInput *input,
                  const char         *source)
{
  OipBulkRun *self;

  g_return_val_if_fail (OIP_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (input != NULL, NULL);

  self = g_object_new (OIP_TYPE_BULK_RUN, NULL);
  self->context = g_object_ref (context);
  self->source = g_strdup (source);
  for (guint i = 0; i < input->entries->len; i++)
    {
      const OipBulkEntry *entry = g_ptr_array_index (input->entries, i);
      g_autoptr(OipBulkItem) item = oip_bulk_item_new (i, entry->key, entry->value, entry->line, entry->where);

      item->given_images = (GStrv) g_new0 (char *, entry->images->len + 1);
      for (guint j = 0; j < entry->images->len; j++)
        item->given_images[j] = g_strdup (g_ptr_array_index (entry->images, j));
      item->given_color = g_strdup (entry->color_image);
      item->local_bytes = entry->local_bytes;
      for (guint j = 0; entry->problems != NULL && j < entry->problems->len; j++)
        oip_bulk_item_add_problem (item, ((OipBulkProblem *) g_ptr_array_index (entry->problems, j))->message);
      add_item (self, item);
    }
  for (guint i = 0; input->problems != NULL && i < input->problems->len; i++)
    g_ptr_array_add (self->input_problems, problem_copy (g_ptr_array_index (input->problems, i)));
  oip_bulk_run_recount (self);
  return self;
}

static OipDatabase *
context_database (OipContext  *context,
                  GError     **error)
{
  OipHistory *history = oip_context_get_history (context);

  if (history == NULL)
    {
      g_set_error_literal (error, OIP_ERROR, OIP_ERROR_DATABASE, _("The database is not open"));
      return NULL;
    }
  return oip_history_get_database (history);
}

/* A product left mid-send: its import may or may not have reached Ozon.
 * Those with a task are followed; the others are read back first. */
static void
resume_item (OipBulkItem *item)
{
  static const char *unclear[] = { "network", "timeout", "server_error", "bad_response", NULL };
  gboolean unconfirmed = item->state == OIP_BULK_ITEM_FAILED && item->batch >= 0 && item->task_id == 0 &&
                         item->error_code != NULL && g_strv_contains (unclear, item->error_code);

  item->in_run = item->batch >= 0 || !oip_bulk_item_is_finished (item) || unconfirmed;
  switch (item->state)
    {
    case OIP_BULK_ITEM_PLANNED:
    case OIP_BULK_ITEM_QUEUED:
    case OIP_BULK_ITEM_UPLOADING:
      oip_bulk_item_set_state (item, OIP_BULK_ITEM_QUEUED, NULL, NULL, NULL);
      item->check = item->batch >= 0;
      break;
    case OIP_BULK_ITEM_SENDING:
      item->check = item->task_id == 0;
      oip_bulk_item_set_state (item, item->task_id > 0 ? OIP_BULK_ITEM_IMPORTING : OIP_BULK_ITEM_QUEUED,
                               NULL, NULL, NULL);
      break;
    default:
      if (unconfirmed)
        {
          item->check = TRUE;
          oip_bulk_item_set_state (item, OIP_BULK_ITEM_QUEUED, NULL, NULL, NULL);
        }
      break;
    }
}

static OipBulkRun *
run_from_loaded (OipContext    *context,
                 OipBulkLoaded *loaded)
{
  OipBulkRun *self = g_object_new (OIP_TYPE_BULK_RUN, NULL);

  self->context = g_object_ref (context);
  self->id = loaded->id;
  self->kind = loaded->kind;
  self->source_run_id = loaded->source_run_id;
  self->source = g_strdup (loaded->source);
  self->recorded_client = g_strdup (loaded->client_id);
  self->readdress = self->kind != OIP_PUSH_KIND_PUSH;
  self->loaded = TRUE;
  for (guint i = 0; i < loaded->rows->len; i++)
    {
      g_autoptr(OipBulkItem) item = oip_bulk_item_new_from_row (g_ptr_array_index (loaded->rows, i));

      resume_item (item);
      add_item (self, item);
    }
  for (guint i = 0; i < loaded->files->len; i++)
    {
      OipBulkFile *file = g_ptr_array_index (loaded->files, i);
      OipBulkFile *copy = oip_bulk_file_new (file->uri, file->size, file->mtime, file->url);

      g_hash_table_replace (self->files, copy->uri, copy);
    }
  oip_bulk_run_recount (self);
  return self;
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipBulkLoaded) loaded = oip_bulk_store_load_finish (OIP_DATABASE (source), result, &error);
  OipContext *context = g_task_get_task_data (task);

  if (loaded == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (loaded->owner_alive)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, loaded->id);

      g_task_return_new_error (task, OIP_ERROR, OIP_ERROR_BULK_RUN_BUSY,
                               _("Bulk run %s is running in another process"), id);
      return;
    }
  if (g_task_get_source_tag (task) == oip_bulk_run_load_async)
    g_task_return_pointer (task, run_from_loaded (context, loaded), g_object_unref);
  else
    g_task_return_pointer (task, oip_bulk_run_undo_from_loaded (context, loaded), g_object_unref);
}

static void
load (OipContext          *context,
      gint64               run_id,
      gpointer             tag,
      GCancellable        *cancellable,
      GAsyncReadyCallback  callback,
      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  OipDatabase *db;

  g_task_set_source_tag (task, tag);
  g_task_set_task_data (task, g_object_ref (context), g_object_unref);
  if ((db = context_database (context, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  oip_bulk_store_load_async (db, run_id, tag == oip_bulk_run_new_undo_async, cancellable, on_loaded,
                             g_steal_pointer (&task));
}

/**
 * oip_bulk_run_load_async:
 * @run_id: a run recorded in the context's database
 *
 * Reads a run to go on with: products already pushed stay as they are;
 * the others are sent (after oip_bulk_run_plan_async() and
 * oip_bulk_run_confirm()); one left mid-send is read back first, and sent
 * again only if Ozon does not have exactly its images.
 */
void
oip_bulk_run_load_async (OipContext          *context,
                         gint64               run_id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (OIP_IS_CONTEXT (context));
  load (context, run_id, oip_bulk_run_load_async, cancellable, callback, user_data);
}

/**
 * oip_bulk_run_load_finish:
 *
 * Returns: (transfer full): the run, or %NULL with
 *   %OIP_ERROR_BULK_RUN_NOT_FOUND, %OIP_ERROR_BULK_RUN_BUSY (another
 *   process runs it) or a database error
 */
OipBulkRun *
oip_bulk_run_load_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oip_bulk_run_load_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
oip_bulk_run_summary_free (OipBulkRunSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->source);
  g_free (summary->error_message);
  g_free (summary);
}

static void
on_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GPtrArray *runs = oip_bulk_store_list_unfinished_finish (OIP_DATABASE (source), result, &error);

  if (runs == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, runs, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * oip_bulk_run_list_unfinished_async:
 * @max: at most this many
 *
 * Lists the runs recorded in the context's database that did not finish
 * and can go on with oip_bulk_run_load_async() (stopped, interrupted, held
 * by Ozon's daily limit), the newest first. Read on the database's thread.
 */
void
oip_bulk_run_list_unfinished_async (OipContext          *context,
                                    guint                max,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  OipDatabase *db;

  g_return_if_fail (OIP_IS_CONTEXT (context));
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, oip_bulk_run_list_unfinished_async);
  if ((db = context_database (context, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  oip_bulk_store_list_unfinished_async (db, max, cancellable, on_listed, g_steal_pointer (&task));
}

/**
 * oip_bulk_run_list_unfinished_finish:
 *
 * Returns: (transfer full) (element-type OipBulkRunSummary): the runs
 *   (perhaps none), or %NULL with @error
 */
GPtrArray *
oip_bulk_run_list_unfinished_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oip_bulk_run_list_unfinished_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * oip_bulk_run_new_undo_async:
 * @run_id: a run recorded in the context's database
 *
 * Makes a new run that puts back, on every product the run pushed, the
 * images it had right before (as its history record says), sending again
 * under a new address what Ozon skips as seen before, as Undo does for
 * one push.
 */
void
oip_bulk_run_new_undo_async (OipContext          *context,
                             gint64               run_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (OIP_IS_CONTEXT (context));
  load (context, run_id, oip_bulk_run_new_undo_async, cancellable, callback, user_data);
}

/**
 * oip_bulk_run_new_undo_finish:
 *
 * Returns: (transfer full): the undo run, to plan
 */
OipBulkRun *
oip_bulk_run_new_undo_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oip_bulk_run_new_undo_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static const OipPushRecord *
find_record (GPtrArray *records,
             gint64     id)
{
  for (guint i = 0; records != NULL && i < records->len; i++)
    if (((OipPushRecord *) g_ptr_array_index (records, i))->id == id)
      return g_ptr_array_index (records, i);
  return NULL;
}

/**
 * oip_bulk_run_undo_from_loaded:
 *
 * The undo of a loaded run: one product per push that may have changed
 * a product (Ozon accepted its import), with the images its record says
 * the product had before.
 */
OipBulkRun *
oip_bulk_run_undo_from_loaded (OipContext    *context,
                               OipBulkLoaded *loaded)
{
  OipBulkRun *self = g_object_new (OIP_TYPE_BULK_RUN, NULL);

  self->context = g_object_ref (context);
  self->kind = OIP_PUSH_KIND_UNDO;
  self->source_run_id = loaded->id;
  self->source = g_strdup (loaded->source);
  self->recorded_client = g_strdup (loaded->client_id);
  self->readdress = TRUE;
  for (guint i = 0; i < loaded->rows->len; i++)
    {
      const OipBulkRow *row = g_ptr_array_index (loaded->rows, i);
      const OipPushRecord *record = find_record (loaded->records, row->push_id);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, row->product_id);
      g_autoptr(OipBulkItem) item = NULL;

      if (record == NULL || (record->task_id == 0 && row->task_id == 0))
        continue;   /* never reached Ozon: nothing to put back */
      item = oip_bulk_item_new (oip_bulk_run_n_items (self), OIP_PRODUCT_KEY_PRODUCT_ID, id, row->line,
                                row->location);
      item->source_push_id = record->id;
      item->given_images = g_strdupv (record->before_images);
      item->given_color = g_strdup (record->before_color);
      if (!record->before_known || ((record->before_images == NULL || record->before_images[0] == NULL) &&
                                    record->before_color == NULL))
        {
          g_autofree char *push = g_strdup_printf ("%" G_GINT64_FORMAT, record->id);
          g_autofree char *text = g_strdup_printf (_("Push %s does not say which images the product had before it"),
                                                   push);

          oip_bulk_item_add_problem (item, text);
          oip_bulk_item_set_state (item, OIP_BULK_ITEM_INVALID, "no_images", text, NULL);
        }
      add_item (self, item);
    }
  oip_bulk_run_recount (self);
  return self;
}

/* Public: planning and sending */

/**
 * oip_bulk_run_plan_async:
 *
 * Looks every product up on Ozon (%OIP_OZON_MAX_IDS identifiers a call,
 * one kind per call), checks its images as a single push would (the
 * 30-image limit, addresses, duplicates), sizes the local files and reads
 * the account's daily quota. Nothing is sent. A loaded run only reads the
 * quota again. The items then say what each push does.
 */
void
oip_bulk_run_plan_async (OipBulkRun          *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (OIP_IS_BULK_RUN (self));
  g_return_if_fail (self->task == NULL);
  g_return_if_fail (self->stage == OIP_BULK_STAGE_IDLE || self->stage == OIP_BULK_STAGE_REVIEW ||
                    self->stage == OIP_BULK_STAGE_PAUSED);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, oip_bulk_run_plan_async);
  oip_bulk_plan_start (self);
}

/**
 * oip_bulk_run_plan_finish:
 *
 * Returns: %TRUE when the review is ready (some products may be not found
 *   or invalid: see the counts); %FALSE with @error when Ozon could not be
 *   asked
 */
gboolean
oip_bulk_run_plan_finish (OipBulkRun    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static guint
count_to_import (OipBulkRun *self)
{
  guint count = 0;

  for (guint i = 0; i < oip_bulk_run_n_items (self); i++)
    {
      OipBulkItem *item = oip_bulk_run_item_at (self, i);

      count += item->state == OIP_BULK_ITEM_PLANNED || item->state == OIP_BULK_ITEM_QUEUED;
    }
  return count;
}

/**
 * oip_bulk_run_confirm:
 *
 * The seller's yes, after the review: the planned products are queued.
 * A run that would update more products than Ozon allows for the rest of
 * the day is refused here, with nothing sent.
 *
 * Returns: %TRUE when the run may be sent; %FALSE with
 *   %OIP_ERROR_DAILY_LIMIT or %OIP_ERROR_NO_IMAGES (nothing to send)
 */
gboolean
oip_bulk_run_confirm (OipBulkRun  *self,
                      GError     **error)
{
  guint count;

  g_return_val_if_fail (OIP_IS_BULK_RUN (self), FALSE);
  g_return_val_if_fail (self->planned && self->task == NULL, FALSE);

  count = count_to_import (self);
  if (self->daily_left >= 0 && count > self->daily_left)
    {
      g_autofree char *left = g_strdup_printf ("%" G_GINT64_FORMAT, self->daily_left);

      g_set_error (error, OIP_ERROR, OIP_ERROR_DAILY_LIMIT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "This run would change %u product, but Ozon allows only %s more today",
                                "This run would change %u products, but Ozon allows only %s more today",
                                count),
                   count, left);
      return FALSE;
    }
  for (guint i = 0; i < oip_bulk_run_n_items (self); i++)
    {
      OipBulkItem *item = oip_bulk_run_item_at (self, i);

      if (item->state == OIP_BULK_ITEM_PLANNED)
        {
          item->in_run = TRUE;
          oip_bulk_item_set_state (item, OIP_BULK_ITEM_QUEUED, NULL, NULL, NULL);
        }
    }
  oip_bulk_run_recount (self);
  if (self->n_to_send == 0 || self->n_to_send == self->n_done)
    {
      if (!self->loaded)
        {
          g_set_error_literal (error, OIP_ERROR, OIP_ERROR_NO_IMAGES,
                               _("None of the products has anything to send"));
          return FALSE;
        }
    }
  self->confirmed = TRUE;
  return TRUE;
}

/**
 * oip_bulk_run_send_async:
 *
 * Sends a confirmed run (see #OipBulkRun). Cancelling stops it where it
 * is; it is recorded, and oip_bulk_run_load_async() goes on with it.
 */
void
oip_bulk_run_send_async (OipBulkRun          *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (OIP_IS_BULK_RUN (self));
  g_return_if_fail (self->confirmed && self->task == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, oip_bulk_run_send_async);
  self->confirmed = FALSE;
  oip_bulk_send_start (self);
}

/**
 * oip_bulk_run_send_finish:
 *
 * Returns: %TRUE once every product has its outcome (check the counts:
 *   some may have failed); %FALSE with @error when the run stopped before
 *   (cancelled, %OIP_ERROR_DAILY_LIMIT, the storage or the database
 *   failing): it can be resumed
 */
gboolean
oip_bulk_run_send_finish (OipBulkRun    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_undo_record (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OipBulkRun *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(OipPushRecord) record = oip_history_get_finish (OIP_HISTORY (source), result, &error);
  OipPushJob *job;

  if (record == NULL ||
      (job = oip_push_job_new_restore (self->context, record, OIP_PUSH_KIND_UNDO, &error)) == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, job, g_object_unref);
}

/**
 * oip_bulk_run_create_undo_job_async:
 * @item: a product the run pushed
 *
 * Undo for one product: a push job (not started) that puts back the
 * images it had right before its push, as for any single push.
 */
void
oip_bulk_run_create_undo_job_async (OipBulkRun          *self,
                                    OipBulkItem         *item,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OipHistory *history;

  g_return_if_fail (OIP_IS_BULK_RUN (self));
  g_return_if_fail (OIP_IS_BULK_ITEM (item));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oip_bulk_run_create_undo_job_async);
  history = oip_context_get_history (self->context);
  if (history == NULL || item->history_id <= 0)
    {
      g_task_return_new_error (task, OIP_ERROR, OIP_ERROR_PUSH_NOT_FOUND,
                               _("This product was not pushed: there is nothing to undo"));
      return;
    }
  oip_history_get_async (history, item->history_id, cancellable, on_undo_record, g_steal_pointer (&task));
}

/**
 * oip_bulk_run_create_undo_job_finish:
 *
 * Returns: (transfer full): the job, to run
 */
OipPushJob *
oip_bulk_run_create_undo_job_finish (OipBulkRun    *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Public: what a front end shows */

/**
 * oip_bulk_run_get_id:
 *
 * Returns: the run's id in the database (what `--resume` takes), 0 until
 *   it is confirmed and sent
 */
gint64
oip_bulk_run_get_id (OipBulkRun *self)
{
  g_return_val_if_fail (OIP_IS_BULK_RUN (self), 0);
  return self->id;
}

OipPushKind
oip_bulk_run_get_kind (OipBulkRun *self)
{
  g_return_val_if_fail (OIP_IS_BULK_RUN (self), OIP_PUSH_KIND_PUSH);
  return self->kind;
}

gint64
oip_bulk_run_get_source_run_id (OipBulkRun *self)
{
  g_return_val_if_fail (OIP_IS_BULK_RUN (self), 0);
  return self->source_run_id;
}

const char *
oip_bulk_run_get_source (OipBulkRun *self)
{
  g_return_val_if_fail (OIP_IS_BULK_RUN (self), NULL);
  return self->source;
}

/**
 * oip_bulk_run_get_items:
 *
 * Returns: (transfer none): the #OipBulkItem objects, in input order
 */
GListModel *
oip_bulk_run_get_items (OipBulkRun *self)
{
  g_return_val_if_fail (OIP_IS_BULK_RUN (self), NULL);
  return G_LIST_MODEL (self->items);
}

/**
 * oip_bulk_run_get_input_problems:
 *
 * Returns: (transfer none) (element-type OipBulkProblem): rows and files
 *   of the input that were left out, with their line numbers
 */
GPtrArray *
oip_bulk_run_get_input_problems (OipBulkRun *self)
{
  g_return_val_if_fail (OIP_IS_BULK_RUN (self), NULL);
  return self->input_problems;
}

OipBulkStage
oip_bulk_run_get_stage (OipBulkRun *self)
{
  g_return_val_if_fail (OIP_IS_BULK_RUN (self), OIP_BULK_STAGE_IDLE);
  return self->stage;
}

guint
oip_bulk_run_get_count (OipBulkRun       *self,
                        OipBulkItemState  state)
{
  g_return_val_if_fail (OIP_IS_BULK_RUN (self), 0);
  g_return_val_if_fail (state < OIP_BULK_ITEM_N_STATES, 0);
  return self->counts[state];
}

/**
 * oip_bulk_run_get_n_to_send:
 *
 * Returns: the products this run pushes (once confirmed), or would push
 *   (in review)
 */
guint
oip_bulk_run_get_n_to_send (OipBulkRun *self)
{
  g_return_val_if_fail (OIP_IS_BULK_RUN (self), 0);
  return self->n_to_send > 0 ? self->n_to_send : count_to_import (self);
}

/**
 * oip_bulk_run_get_n_left:
 *
 * Returns: products still to be sent or followed: planned, queued, or left
 *   mid-send by an earlier part of the run
 */
guint
oip_bulk_run_get_n_left (OipBulkRun *self)
{
  guint count = 0;

  g_return_val_if_fail (OIP_IS_BULK_RUN (self), 0);
  for (guint i = 0; i < oip_bulk_run_n_items (self); i++)
    {
      OipBulkItem *item = oip_bulk_run_item_at (self, i);

      count += item->state == OIP_BULK_ITEM_PLANNED || item->state == OIP_BULK_ITEM_QUEUED ||
               item->state == OIP_BULK_ITEM_IMPORTING || item->state == OIP_BULK_ITEM_SENDING ||
               item->state == OIP_BULK_ITEM_UPLOADING;
    }
  return count;
}

guint
oip_bulk_run_get_n_done (OipBulkRun *self)
{
  g_return_val_if_fail (OIP_IS_BULK_RUN (self), 0);
  return self->n_done;
}

/**
 * oip_bulk_run_get_n_images:
 *
 * Returns: the images the planned products send, color images included
 */
guint
oip_bulk_run_get_n_images (OipBulkRun *self)
{
  g_return_val_if_fail (OIP_IS_BULK_RUN (self), 0);
  return self->n_images;
}

guint
oip_bulk_run_get_n_local_files (OipBulkRun *self)
{
  g_return_val_if_fail (OIP_IS_BULK_RUN (self), 0);
  return self->n_local_files;
}

guint64
oip_bulk_run_get_local_bytes (OipBulkRun *self)
{
  g_return_val_if_fail (OIP_IS_BULK_RUN (self), 0);
  return self->local_bytes;
}

/**
 * oip_bulk_run_get_n_uploaded:
 *
 * Returns: local files actually sent to the storage by this send (the
 *   others were there already)
 */
guint
oip_bulk_run_get_n_uploaded (OipBulkRun *self)
{
  g_return_val_if_fail (OIP_IS_BULK_RUN (self), 0);
  return self->n_uploaded;
}

/**
 * oip_bulk_run_get_daily_left:
 *
 * Returns: product updates Ozon allows for the rest of the day, -1 when
 *   it did not say
 */
gint64
oip_bulk_run_get_daily_left (OipBulkRun *self)
{
  g_return_val_if_fail (OIP_IS_BULK_RUN (self), -1);
  return self->daily_left;
}

gint64
oip_bulk_run_get_daily_limit (OipBulkRun *self)
{
  g_return_val_if_fail (OIP_IS_BULK_RUN (self), -1);
  return self->daily_limit;
}

/**
 * oip_bulk_run_get_per_minute:
 *
 * Returns: products a minute Ozon's picture import takes, -1 while unknown
 */
gint64
oip_bulk_run_get_per_minute (OipBulkRun *self)
{
  g_return_val_if_fail (OIP_IS_BULK_RUN (self), -1);
  return self->per_minute;
}

double
oip_bulk_run_get_fraction (OipBulkRun *self)
{
  g_return_val_if_fail (OIP_IS_BULK_RUN (self), 0.0);
  return self->fraction;
}

/**
 * oip_bulk_run_get_seconds_left:
 *
 * Returns: the estimated time left, or -1 when it cannot be told yet
 */
double
oip_bulk_run_get_seconds_left (OipBulkRun *self)
{
  g_return_val_if_fail (OIP_IS_BULK_RUN (self), -1.0);
  return self->seconds_left;
}

/**
 * oip_bulk_run_get_rate:
 *
 * Returns: products finished a minute during this send
 */
double
oip_bulk_run_get_rate (OipBulkRun *self)
{
  g_return_val_if_fail (OIP_IS_BULK_RUN (self), 0.0);
  return self->rate;
}

/**
 * oip_bulk_run_get_waiting_until:
 *
 * Returns: while the run waits for Ozon's per-minute limit, until when
 *   (monotonic µs); 0 otherwise
 */
gint64
oip_bulk_run_get_waiting_until (OipBulkRun *self)
{
  g_return_val_if_fail (OIP_IS_BULK_RUN (self), 0);
  return self->waiting_until;
}

/**
 * oip_bulk_run_get_elapsed:
 *
 * Returns: seconds since this send began
 */
double
oip_bulk_run_get_elapsed (OipBulkRun *self)
{
  g_return_val_if_fail (OIP_IS_BULK_RUN (self), 0.0);
  if (self->send_started == 0)
    return 0.0;
  return (g_get_monotonic_time () - self->send_started) / (double) G_USEC_PER_SEC;
}

/**
 * oip_bulk_run_get_warnings:
 *
 * Returns: (transfer none) (element-type utf8): what else the seller
 *   should know (pictures converted, a quota Ozon did not report)
 */
GPtrArray *
oip_bulk_run_get_warnings (OipBulkRun *self)
{
  g_return_val_if_fail (OIP_IS_BULK_RUN (self), NULL);
  return self->warnings;
}

/**
 * oip_bulk_run_set_minute_ms:
 * @milliseconds: how long Ozon's “minute” is: 60000, or shorter against
 *   a fake whose minute is shorter (tests, benchmarks)
 */
void
oip_bulk_run_set_minute_ms (OipBulkRun *self,
                            guint       milliseconds)
{
  g_return_if_fail (OIP_IS_BULK_RUN (self));
  g_return_if_fail (milliseconds > 0);
  self->minute_ms = milliseconds;
}

/**
 * oip_bulk_run_set_max_open_tasks:
 * @tasks: import tasks followed at once (4 by default): more batches wait
 *   until one of them settles
 */
void
oip_bulk_run_set_max_open_tasks (OipBulkRun *self,
                                 guint       tasks)
{
  g_return_if_fail (OIP_IS_BULK_RUN (self));
  self->max_open_tasks = MAX (tasks, 1);
}
