/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "oip-bulk-window.h"
#include "oip-dialogs.h"
#include "oip-error.h"
#include "oip-gui-error.h"
#include "oip-http.h"
#include "oip-image-item.h"
#include "oip-thumbnail-loader.h"

/**
 * OipBulkWindow:
 *
 * The Bulk Push window (issue 13): a folder of product folders or a CSV,
 * chosen or dropped, read and planned by #OipBulkRun without blocking;
 * then a review of every product (a #GtkColumnView whose cells follow
 * each #OipBulkItem live), the rows and files left out with their lines,
 * Ozon's daily quota; Push asks, then sends, with overall progress and a
 * Stop; a stopped run resumes from the database by its ID; a finished run
 * exports a CSV report and can be undone as a whole. A window of its own
 * (not a dialog): a run of hundreds of products is watched for minutes,
 * beside the main window.
 */
struct _OipBulkWindow
{
  AdwApplicationWindow parent_instance;

  AdwToastOverlay    *toast_overlay;
  AdwWindowTitle     *window_title;
  GtkStack           *stack;
  GtkSpinner         *loading_spinner;
  GtkLabel           *loading_label;
  GtkLabel           *source_label;
  GtkLabel           *summary_label;
  GtkLabel           *quota_label;
  GtkExpander        *problems_expander;
  GtkListBox         *problems_list;
  GtkCheckButton     *problems_only_check;
  GtkColumnView      *column_view;
  GtkProgressBar     *progress_bar;
  GtkLabel           *status_label;
  GtkWidget          *undo_button;
  GtkWidget          *export_button;
  GtkWidget          *resume_button;
  GtkWidget          *stop_button;
  GtkWidget          *push_button;
  GtkWidget          *unfinished_box;
  GtkListBox         *unfinished_list;

  OipBulkRun         *run;
  GCancellable       *cancellable;       /* reading, planning, loading */
  GCancellable       *send_cancellable;  /* the push under way */
  GtkCustomFilter    *filter;
  GtkFilterListModel *shown;
  gboolean            busy;              /* reading or planning */
  gboolean            sending;
  gboolean            finished;          /* the last send ended */
  gboolean            listing;           /* reading the unfinished runs */
};

G_DEFINE_FINAL_TYPE (OipBulkWindow, oip_bulk_window, ADW_TYPE_APPLICATION_WINDOW)

#define THUMBNAIL_SIZE 48

static void plan_run (OipBulkWindow *self, OipBulkRun *run);
static void list_unfinished (OipBulkWindow *self);

/* States in words {{{1 */

/**
 * oip_bulk_item_state_label:
 *
 * Returns: the state as the seller reads it, translated
 */
const char *
oip_bulk_item_state_label (OipBulkItemState state)
{
  switch (state)
    {
    case OIP_BULK_ITEM_PLANNED: return _("Ready to push");
    case OIP_BULK_ITEM_NOT_FOUND: return _("Not found on Ozon");
    case OIP_BULK_ITEM_INVALID: return _("Cannot be sent");
    case OIP_BULK_ITEM_QUEUED: return _("Queued");
    case OIP_BULK_ITEM_UPLOADING: return _("Uploading");
    case OIP_BULK_ITEM_SENDING: return _("Sending");
    case OIP_BULK_ITEM_IMPORTING: return _("Importing");
    case OIP_BULK_ITEM_IMPORTED: return _("Imported");
    case OIP_BULK_ITEM_PARTIAL: return _("Partly imported");
    case OIP_BULK_ITEM_FAILED: return _("Failed");
    case OIP_BULK_ITEM_SKIPPED: return _("Nothing to change");
    default: return "";
    }
}

static gboolean
is_problem (gpointer object,
            gpointer user_data)
{
  OipBulkItem *item = object;
  const char * const *problems = oip_bulk_item_get_problems (item);

  switch (oip_bulk_item_get_state (item))
    {
    case OIP_BULK_ITEM_NOT_FOUND:
    case OIP_BULK_ITEM_INVALID:
    case OIP_BULK_ITEM_PARTIAL:
    case OIP_BULK_ITEM_FAILED:
      return TRUE;
    default:
      return problems != NULL && problems[0] != NULL;
    }
}

/* The cells {{{1 */

typedef enum
{
  COLUMN_PICTURE,
  COLUMN_PRODUCT,
  COLUMN_IMAGES,
  COLUMN_STATE,
  COLUMN_MESSAGE,
} Column;

static char *
item_message (OipBulkItem *item)
{
  const char *error = oip_bulk_item_get_error (item);
  const char *ozon = oip_bulk_item_get_ozon_message (item);
  const char * const *problems = oip_bulk_item_get_problems (item);

  if (error != NULL && ozon != NULL && *ozon != '\0' && g_strcmp0 (error, ozon) != 0)
    /* Translators: an error, then Ozon's own words for it */
    return g_strdup_printf (_("%s (Ozon: %s)"), error, ozon);
  if (error != NULL)
    return g_strdup (error);
  if (ozon != NULL)
    return g_strdup (ozon);
  if (problems != NULL && problems[0] != NULL)
    return g_strjoinv ("\n", (char **) problems);
  return g_strdup ("");
}

static void
on_thumbnail_loaded (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GtkPicture) picture = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = oip_thumbnail_loader_load_finish (OIP_THUMBNAIL_LOADER (source), result, &error);

  /* A picture that does not load keeps its placeholder; the state column
   * and the review say what is wrong with it. */
  if (texture != NULL)
    gtk_picture_set_paintable (picture, GDK_PAINTABLE (texture));
}

static void
update_picture (GtkPicture  *picture,
                OipBulkItem *item)
{
  const char *url = oip_bulk_item_get_main_image (item);
  const char *shown = g_object_get_data (G_OBJECT (picture), "oip-url");
  GCancellable *cancellable = g_object_get_data (G_OBJECT (picture), "oip-cancellable");
  GCancellable *loading;

  if (g_strcmp0 (url, shown) == 0)
    return;
  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
  gtk_picture_set_paintable (picture, NULL);
  g_object_set_data_full (G_OBJECT (picture), "oip-url", g_strdup (url), g_free);
  if (url == NULL)
    {
      g_object_set_data (G_OBJECT (picture), "oip-cancellable", NULL);
      return;
    }
  loading = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (picture), "oip-cancellable", loading, g_object_unref);
  oip_thumbnail_loader_load_async (oip_thumbnail_loader_get_default (), url,
                                   THUMBNAIL_SIZE * gtk_widget_get_scale_factor (GTK_WIDGET (picture)),
                                   loading, on_thumbnail_loaded, g_object_ref (picture));
}

static void
set_text (GtkWidget  *label,
          const char *text)
{
  if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), text) != 0)
    gtk_label_set_text (GTK_LABEL (label), text);
}

static void
update_cell (GtkListItem *list_item)
{
  OipBulkItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *child = gtk_list_item_get_child (list_item);
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (list_item), "oip-column"));

  if (item == NULL || child == NULL)
    return;
  switch (column)
    {
    case COLUMN_PICTURE:
      update_picture (GTK_PICTURE (child), item);
      break;
    case COLUMN_PRODUCT:
      {
        GtkWidget *name = gtk_widget_get_first_child (child);
        GtkWidget *id = gtk_widget_get_next_sibling (name);
        const char *offer = oip_bulk_item_get_offer_id (item);
        gint64 product_id = oip_bulk_item_get_product_id (item);
        g_autofree char *id_text = product_id > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, product_id) : NULL;

        set_text (name, offer != NULL ? offer : oip_bulk_item_get_identifier (item));
        set_text (id, id_text != NULL ? id_text : "");
        gtk_widget_set_visible (id, id_text != NULL);
        gtk_widget_set_tooltip_text (child, oip_bulk_item_get_location (item));
      }
      break;
    case COLUMN_IMAGES:
      {
        /* Translators: images on Ozon now → images after the push */
        g_autofree char *text = g_strdup_printf (_("%u → %u"), oip_bulk_item_get_n_before (item),
                                                 oip_bulk_item_get_n_after (item));

        set_text (child, text);
      }
      break;
    case COLUMN_STATE:
      {
        OipBulkItemState state = oip_bulk_item_get_state (item);

        set_text (child, oip_bulk_item_state_label (state));
        if (is_problem (item, NULL))
          gtk_widget_add_css_class (child, "error");
        else
          gtk_widget_remove_css_class (child, "error");
        if (state == OIP_BULK_ITEM_IMPORTED || state == OIP_BULK_ITEM_SKIPPED)
          gtk_widget_add_css_class (child, "success");
        else
          gtk_widget_remove_css_class (child, "success");
      }
      break;
    case COLUMN_MESSAGE:
      {
        g_autofree char *text = item_message (item);

        set_text (child, text);
        gtk_widget_set_tooltip_text (child, *text ? text : NULL);
      }
      break;
    default:
      break;
    }
}

static GtkWidget *
new_label (gboolean wrap)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (wrap)
    {
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
      gtk_label_set_lines (GTK_LABEL (label), 3);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
    }
  return label;
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *child = NULL;

  g_object_set_data (G_OBJECT (list_item), "oip-column", user_data);
  switch (column)
    {
    case COLUMN_PICTURE:
      child = gtk_picture_new ();
      gtk_widget_set_size_request (child, THUMBNAIL_SIZE, THUMBNAIL_SIZE);
      gtk_picture_set_content_fit (GTK_PICTURE (child), GTK_CONTENT_FIT_COVER);
      gtk_widget_add_css_class (child, "card");
      gtk_widget_set_overflow (child, GTK_OVERFLOW_HIDDEN);
      break;
    case COLUMN_PRODUCT:
      {
        GtkWidget *id = new_label (FALSE);

        child = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
        gtk_widget_set_valign (child, GTK_ALIGN_CENTER);
        gtk_box_append (GTK_BOX (child), new_label (FALSE));
        gtk_widget_add_css_class (id, "dim-label");
        gtk_widget_add_css_class (id, "caption");
        gtk_box_append (GTK_BOX (child), id);
      }
      break;
    case COLUMN_IMAGES:
      child = new_label (FALSE);
      gtk_widget_add_css_class (child, "numeric");
      break;
    case COLUMN_STATE:
      child = new_label (FALSE);
      break;
    case COLUMN_MESSAGE:
      child = new_label (TRUE);
      break;
    default:
      g_assert_not_reached ();
    }
  gtk_list_item_set_child (list_item, child);
}

/* What each column shows, for redrawing only what changed: a run of
 * hundreds of products notifies thousands of times. */
static const char * const column_properties[][4] = {
  [COLUMN_PICTURE] = { "main-image", NULL },
  [COLUMN_PRODUCT] = { "offer-id", "product-id", "identifier", NULL },
  [COLUMN_IMAGES] = { "n-before", "n-after", NULL },
  [COLUMN_STATE] = { "state", NULL },
  [COLUMN_MESSAGE] = { "error", "ozon-message", "state", NULL },
};

static void
on_item_notify (OipBulkItem *item,
                GParamSpec  *pspec,
                GtkListItem *list_item)
{
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (list_item), "oip-column"));

  if (g_strv_contains (column_properties[column], pspec->name))
    update_cell (list_item);
}

/* Each cell follows its product while it is shown: the state changes
 * as the engine sends it. */
static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  OipBulkItem *item = gtk_list_item_get_item (list_item);
  gulong handler = g_signal_connect (item, "notify", G_CALLBACK (on_item_notify), list_item);

  g_object_set_data (G_OBJECT (list_item), "oip-handler", GSIZE_TO_POINTER (handler));
  update_cell (list_item);
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  OipBulkItem *item = gtk_list_item_get_item (list_item);
  gulong handler = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (list_item), "oip-handler"));
  GtkWidget *child = gtk_list_item_get_child (list_item);

  if (handler != 0 && item != NULL)
    g_signal_handler_disconnect (item, handler);
  g_object_set_data (G_OBJECT (list_item), "oip-handler", NULL);
  if (GTK_IS_PICTURE (child))
    {
      GCancellable *cancellable = g_object_get_data (G_OBJECT (child), "oip-cancellable");

      if (cancellable != NULL)
        g_cancellable_cancel (cancellable);
      g_object_set_data (G_OBJECT (child), "oip-cancellable", NULL);
      g_object_set_data (G_OBJECT (child), "oip-url", NULL);
      gtk_picture_set_paintable (GTK_PICTURE (child), NULL);
    }
}

static void
add_column (OipBulkWindow *self,
            const char    *title,
            Column         column,
            gboolean       expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GINT_TO_POINTER (column));
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), GINT_TO_POINTER (column));
  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_append_column (self->column_view, view_column);
  g_object_unref (view_column);
}

/* The run in view {{{1 */

/* Closed: what comes back from the work under way is dropped (the
 * window's parts are gone). */
static gboolean
closed (OipBulkWindow *self)
{
  return self->cancellable == NULL;
}

static OipApplication *
get_app (OipBulkWindow *self)
{
  return OIP_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
}

static void
show_loading (OipBulkWindow *self,
              const char    *text)
{
  gtk_label_set_text (self->loading_label, text);
  gtk_spinner_start (self->loading_spinner);
  gtk_stack_set_visible_child_name (self->stack, "loading");
}

static void
update_actions (OipBulkWindow *self)
{
  gboolean has_run = self->run != NULL && !self->busy;
  OipBulkStage stage = self->run != NULL ? oip_bulk_run_get_stage (self->run) : OIP_BULK_STAGE_IDLE;
  gboolean can_push = has_run && !self->sending && !self->finished && stage == OIP_BULK_STAGE_REVIEW &&
                      oip_bulk_run_get_n_left (self->run) > 0;
  gboolean stopped = has_run && !self->sending && oip_bulk_run_get_id (self->run) > 0 &&
                     stage == OIP_BULK_STAGE_PAUSED;
  gboolean done = has_run && !self->sending && self->finished;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bulk.choose-folder", !self->sending);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bulk.choose-csv", !self->sending);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bulk.push", can_push);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bulk.stop", self->sending);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bulk.resume", stopped);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bulk.export", done);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "bulk.undo-run",
                                 done && oip_bulk_run_get_id (self->run) > 0 &&
                                 oip_bulk_run_get_kind (self->run) != OIP_PUSH_KIND_UNDO);

  gtk_widget_set_visible (self->push_button, !self->sending && !self->finished && !stopped);
  gtk_widget_set_visible (self->stop_button, self->sending);
  gtk_widget_set_visible (self->resume_button, stopped);
  gtk_widget_set_visible (self->export_button, done);
  gtk_widget_set_visible (self->undo_button, done && oip_bulk_run_get_kind (self->run) != OIP_PUSH_KIND_UNDO);
}

static void
update_progress (OipBulkWindow *self)
{
  guint done, total;
  double left;
  g_autofree char *text = NULL;

  if (self->run == NULL || (!self->sending && !self->finished))
    return;
  done = oip_bulk_run_get_n_done (self->run);
  total = oip_bulk_run_get_n_to_send (self->run);
  /* Translators: products done of the products to push */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u product", "%u of %u products", total), done, total);
  gtk_progress_bar_set_text (self->progress_bar, text);
  gtk_progress_bar_set_fraction (self->progress_bar, oip_bulk_run_get_fraction (self->run));
  if (!self->sending)
    return;
  left = oip_bulk_run_get_seconds_left (self->run);
  if (left >= 0)
    {
      g_autofree char *wait = oip_http_format_wait ((guint64) (left + 0.5));
      /* Translators: %s is a time: “2 minutes” */
      g_autofree char *status = g_strdup_printf (_("About %s left"), wait);

      gtk_label_set_text (self->status_label, status);
    }
  else
    gtk_label_set_text (self->status_label, _("Working out the time left…"));
}

static void update_quota (OipBulkWindow *self);

static void
update_summary (OipBulkWindow *self)
{
  OipBulkRun *run = self->run;
  guint n_left = oip_bulk_run_get_n_left (run);
  g_autofree char *size = g_format_size (oip_bulk_run_get_local_bytes (run));
  g_autofree char *to_push = NULL;
  g_autofree char *files = NULL;
  g_autofree char *others = NULL;
  g_autofree char *summary = NULL;

  to_push = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u product to push", "%u products to push", n_left),
                             n_left);
  files = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u local file (%s) to upload",
                                        "%u local files (%s) to upload", oip_bulk_run_get_n_local_files (run)),
                           oip_bulk_run_get_n_local_files (run), size);
  others = g_strdup_printf (_("not found: %u, cannot be sent: %u, nothing to change: %u"),
                            oip_bulk_run_get_count (run, OIP_BULK_ITEM_NOT_FOUND),
                            oip_bulk_run_get_count (run, OIP_BULK_ITEM_INVALID),
                            oip_bulk_run_get_count (run, OIP_BULK_ITEM_SKIPPED));
  if (oip_bulk_run_get_n_local_files (run) > 0)
    /* Translators: the three parts of the review's summary */
    summary = g_strdup_printf (_("%s, %s; %s"), to_push, files, others);
  else
    /* Translators: the two parts of the review's summary */
    summary = g_strdup_printf (_("%s; %s"), to_push, others);
  gtk_label_set_text (self->summary_label, summary);
  update_quota (self);
}

/* Ozon's daily quota, as the run last heard it. */
static void
update_quota (OipBulkWindow *self)
{
  guint n_left = oip_bulk_run_get_n_left (self->run);
  gint64 daily_left = oip_bulk_run_get_daily_left (self->run);

  if (daily_left >= 0)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, daily_left);
      g_autofree char *quota = g_strdup_printf (_("Ozon allows %s more product changes today."), number);

      if (!self->finished && !self->sending && (gint64) n_left > daily_left)
        {
          g_autofree char *more = g_strconcat (quota, " ", _("This run is larger: push the rest tomorrow."), NULL);

          gtk_label_set_text (self->quota_label, more);
        }
      else
        gtk_label_set_text (self->quota_label, quota);
    }
  else
    gtk_label_set_text (self->quota_label, _("Ozon did not say how many product changes are left today."));
}

static void
show_input_problems (OipBulkWindow *self)
{
  GPtrArray *problems = oip_bulk_run_get_input_problems (self->run);
  GtkWidget *row;
  g_autofree char *label = NULL;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->problems_list))) != NULL)
    gtk_list_box_remove (self->problems_list, row);
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      OipBulkProblem *problem = g_ptr_array_index (problems, i);

      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), problem->where ? problem->where : "");
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), problem->message ? problem->message : "");
      gtk_list_box_append (self->problems_list, row);
    }
  label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u row or file left out", "%u rows or files left out",
                                        problems ? problems->len : 0),
                           problems ? problems->len : 0);
  gtk_expander_set_label (self->problems_expander, label);
  gtk_widget_set_visible (GTK_WIDGET (self->problems_expander), problems != NULL && problems->len > 0);
  gtk_expander_set_expanded (self->problems_expander, TRUE);
}

static void
refilter (OipBulkWindow *self)
{
  if (gtk_check_button_get_active (self->problems_only_check))
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
on_run_progress (OipBulkRun    *run,
                 GParamSpec    *pspec,
                 OipBulkWindow *self)
{
  update_progress (self);
}

static void
on_item_finished (OipBulkRun    *run,
                  OipBulkItem   *item,
                  OipBulkWindow *self)
{
  refilter (self);
}

static void
set_run (OipBulkWindow *self,
         OipBulkRun    *run)
{
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_data (self->run, self);
  g_set_object (&self->run, run);
  self->finished = FALSE;
  gtk_filter_list_model_set_model (self->shown, run != NULL ? oip_bulk_run_get_items (run) : NULL);
  if (run == NULL)
    return;
  g_signal_connect (run, "notify::n-done", G_CALLBACK (on_run_progress), self);
  g_signal_connect (run, "notify::fraction", G_CALLBACK (on_run_progress), self);
  g_signal_connect (run, "notify::seconds-left", G_CALLBACK (on_run_progress), self);
  g_signal_connect (run, "item-finished", G_CALLBACK (on_item_finished), self);
}

static void
show_review (OipBulkWindow *self)
{
  const char *source = oip_bulk_run_get_source (self->run);

  gtk_spinner_stop (self->loading_spinner);
  if (oip_bulk_run_get_kind (self->run) == OIP_PUSH_KIND_UNDO)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, oip_bulk_run_get_source_run_id (self->run));
      /* Translators: %s is a bulk run's number */
      g_autofree char *text = g_strdup_printf (_("Undo of bulk run %s"), id);

      gtk_label_set_text (self->source_label, text);
    }
  else
    gtk_label_set_text (self->source_label, source != NULL ? source : "");
  update_summary (self);
  show_input_problems (self);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), FALSE);
  refilter (self);
  update_actions (self);
  gtk_stack_set_visible_child_name (self->stack, "review");
}

static void
fail (OipBulkWindow *self,
      const GError  *error)
{
  /* Cancelled: something newer is being read, or the window closes. */
  if (closed (self) || error == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->busy = FALSE;
  gtk_spinner_stop (self->loading_spinner);
  if (self->run != NULL && oip_bulk_run_get_stage (self->run) >= OIP_BULK_STAGE_REVIEW)
    show_review (self);
  else
    {
      set_run (self, NULL);
      gtk_stack_set_visible_child_name (self->stack, "start");
      list_unfinished (self);
    }
  update_actions (self);
  oip_gui_show_error (GTK_WIDGET (self), error);
}

/* Reading and planning {{{1 */

static void
on_planned (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(OipBulkWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!oip_bulk_run_plan_finish (OIP_BULK_RUN (source), result, &error))
    {
      if (OIP_BULK_RUN (source) == self->run)
        fail (self, error);
      return;
    }
  if (OIP_BULK_RUN (source) != self->run)
    return;
  self->busy = FALSE;
  show_review (self);
}

static void
plan_run (OipBulkWindow *self,
          OipBulkRun    *run)
{
  set_run (self, run);
  self->busy = TRUE;
  update_actions (self);
  show_loading (self, _("Looking the products up on Ozon…"));
  oip_bulk_run_plan_async (run, self->cancellable, on_planned, g_object_ref (self));
}

static void
input_read (OipBulkWindow *self,
            OipBulkInput  *input,
            const GError  *error)
{
  g_autoptr(OipBulkRun) run = NULL;
  g_autofree char *path = NULL;

  if (input == NULL || closed (self) || g_cancellable_is_cancelled (self->cancellable))
    {
      fail (self, error);
      return;
    }
  path = g_file_get_path (G_FILE (g_object_get_data (G_OBJECT (self), "oip-source")));
  run = oip_bulk_run_new (oip_application_get_context (get_app (self)), input, path);
  plan_run (self, run);
}

static void
on_csv_read (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(OipBulkWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipBulkInput) input = oip_bulk_input_read_csv_finish (result, &error);

  input_read (self, input, error);
}

static void
on_folder_read (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(OipBulkWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipBulkInput) input = oip_bulk_input_read_folder_finish (result, &error);

  input_read (self, input, error);
}

static void
on_type_known (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(OipBulkWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = g_file_query_info_finish (G_FILE (source), result, &error);
  GCancellable *cancellable = self->cancellable;

  if (info == NULL || closed (self))
    {
      fail (self, error);
      return;
    }
  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      show_loading (self, _("Reading the folder…"));
      oip_bulk_input_read_folder_async (G_FILE (source), cancellable, on_folder_read, g_steal_pointer (&self));
    }
  else
    {
      show_loading (self, _("Reading the CSV file…"));
      oip_bulk_input_read_csv_async (G_FILE (source), cancellable, on_csv_read, g_steal_pointer (&self));
    }
}

static void
restart (OipBulkWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->busy = TRUE;
  self->finished = FALSE;
  self->listing = FALSE;
  set_run (self, NULL);
  update_actions (self);
}

/**
 * oip_bulk_window_open:
 * @file: a folder of product folders, or a CSV file
 *
 * Reads @file and plans its run, as if the seller had chosen or dropped
 * it; anything read or planned before is dropped. Not while sending.
 */
void
oip_bulk_window_open (OipBulkWindow *self,
                      GFile         *file)
{
  g_return_if_fail (OIP_IS_BULK_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->sending)
    return;
  restart (self);
  g_object_set_data_full (G_OBJECT (self), "oip-source", g_object_ref (file), g_object_unref);
  show_loading (self, _("Reading…"));
  g_file_query_info_async (file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT,
                           self->cancellable, on_type_known, g_object_ref (self));
}

static void
run_made (OipBulkWindow *self,
          OipBulkRun    *run,
          const GError  *error)
{
  if (run == NULL || closed (self) || g_cancellable_is_cancelled (self->cancellable))
    fail (self, error);
  else
    plan_run (self, run);
}

static void
on_run_loaded (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(OipBulkWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipBulkRun) run = oip_bulk_run_load_finish (result, &error);

  run_made (self, run, error);
}

static void
on_undo_made (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(OipBulkWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(OipBulkRun) run = oip_bulk_run_new_undo_finish (result, &error);

  run_made (self, run, error);
}

/* Sending {{{1 */

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(OipBulkWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  OipBulkRun *run = OIP_BULK_RUN (source);
  gboolean ok = oip_bulk_run_send_finish (run, result, &error);
  g_autofree char *status = NULL;

  if (run != self->run)
    return;
  self->sending = FALSE;
  g_clear_object (&self->send_cancellable);
  if (ok)
    {
      self->finished = TRUE;
      status = g_strdup_printf (_("Done: %u imported, %u partly imported, %u failed, %u with nothing to change."),
                                oip_bulk_run_get_count (run, OIP_BULK_ITEM_IMPORTED),
                                oip_bulk_run_get_count (run, OIP_BULK_ITEM_PARTIAL),
                                oip_bulk_run_get_count (run, OIP_BULK_ITEM_FAILED),
                                oip_bulk_run_get_count (run, OIP_BULK_ITEM_SKIPPED));
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    status = g_strdup (_("Stopped. What was sent stays; Resume goes on with the rest."));
  else
    {
      status = g_strdup (error->message);
      oip_gui_show_error (GTK_WIDGET (self), error);
    }
  gtk_label_set_text (self->status_label, status);
  update_quota (self);
  update_progress (self);
  refilter (self);
  update_actions (self);
}

static void
start_send (OipBulkWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!oip_bulk_run_confirm (self->run, &error))
    {
      oip_gui_show_error (GTK_WIDGET (self), error);
      return;
    }
  self->sending = TRUE;
  self->send_cancellable = g_cancellable_new ();
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), TRUE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  update_progress (self);
  update_actions (self);
  oip_bulk_run_send_async (self->run, self->send_cancellable, on_sent, g_object_ref (self));
}

static void
on_push_answer (GtkWidget     *alert,
                const char    *response,
                OipBulkWindow *self)
{
  if (g_str_equal (response, "push") && self->run != NULL && !self->sending && !self->busy)
    start_send (self);
}

static void
push_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  OipBulkWindow *self = OIP_BULK_WINDOW (widget);
  guint n = oip_bulk_run_get_n_left (self->run);
  g_autofree char *heading = NULL;
  GtkWidget *alert;

  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Replace the Images of %u Product?",
                                          "Replace the Images of %u Products?", n), n);
  alert = oip_alert_new (heading, _("Every push replaces all of a product’s images on Ozon. You can stop at any "
                                    "time and resume later, and undo the whole run afterwards."));
  oip_alert_add_response (alert, "cancel", _("_Cancel"), ADW_RESPONSE_DEFAULT);
  oip_alert_add_response (alert, "push", _("_Push"), ADW_RESPONSE_SUGGESTED);
  oip_alert_set_default_response (alert, "push");
  oip_alert_set_close_response (alert, "cancel");
  oip_alert_present (alert, GTK_WIDGET (self), (OipAlertFunc) on_push_answer, self);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  OipBulkWindow *self = OIP_BULK_WINDOW (widget);

  if (self->send_cancellable != NULL)
    g_cancellable_cancel (self->send_cancellable);
  gtk_label_set_text (self->status_label, _("Stopping…"));
}

/* A stopped run, this window's or an earlier one's, read back from the
 * database and planned again: the review shows each product's state. */
static void
resume_run (OipBulkWindow *self,
            gint64         id)
{
  if (self->sending || id <= 0)
    return;
  restart (self);
  show_loading (self, _("Loading the stopped run…"));
  oip_bulk_run_load_async (oip_application_get_context (get_app (self)), id, self->cancellable, on_run_loaded,
                           g_object_ref (self));
}

static void
resume_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  OipBulkWindow *self = OIP_BULK_WINDOW (widget);

  resume_run (self, oip_bulk_run_get_id (self->run));
}

static void
resume_run_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  resume_run (OIP_BULK_WINDOW (widget), g_variant_get_int64 (parameter));
}

/* The unfinished runs {{{1 */

static const char *
stop_reason_label (const OipBulkRunSummary *summary,
                   char                   **owned)
{
  switch (summary->reason)
    {
    case OIP_BULK_STOP_STOPPED:
      return _("Stopped");
    case OIP_BULK_STOP_INTERRUPTED:
      return _("Interrupted: the app was closed or crashed");
    case OIP_BULK_STOP_DAILY_LIMIT:
      return _("Ozon’s daily limit was reached");
    case OIP_BULK_STOP_FAILED:
      if (summary->error_message != NULL && *summary->error_message != '\0')
        /* Translators: %s is the error that stopped a bulk run */
        return *owned = g_strdup_printf (_("Stopped by an error: %s"), summary->error_message);
      return _("Stopped by an error");
    case OIP_BULK_STOP_UNKNOWN:
    default:
      return _("Not finished");
    }
}

static GtkWidget *
unfinished_row_new (const OipBulkRunSummary *summary)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (summary->created_at / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;
  g_autofree char *when = local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup ("");
  g_autofree char *title = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *started = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *reason_owned = NULL;
  const char *reason = stop_reason_label (summary, &reason_owned);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Resume"));

  if (summary->kind == OIP_PUSH_KIND_UNDO)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, summary->source_run_id);

      title = g_strdup_printf (_("Undo of bulk run %s"), id);
    }
  else if (summary->source != NULL && *summary->source != '\0')
    title = g_path_get_basename (summary->source);
  else
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, summary->id);

      /* Translators: %s is a bulk run's number */
      title = g_strdup_printf (_("Bulk run %s"), id);
    }
  /* Translators: an unfinished bulk run: its products, how many were
   * pushed, how many are left */
  counts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u product: %u done, %u left",
                                         "%u products: %u done, %u left", summary->n_products),
                            summary->n_products, summary->n_done, summary->n_left);
  /* Translators: %s is a date and time */
  started = g_strdup_printf (_("Started %s"), when);
  /* Translators: an unfinished bulk run: when it started, its products,
   * why it stopped */
  subtitle = g_strdup_printf (_("%s · %s · %s"), started, counts, reason);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (summary->source != NULL)
    gtk_widget_set_tooltip_text (row, summary->source);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "bulk.resume-run");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_int64 (summary->id));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  g_object_set_data_full (G_OBJECT (row), "oip-run-id", g_memdup2 (&summary->id, sizeof summary->id), g_free);
  g_object_set_data (G_OBJECT (row), "oip-resume-button", button);
  return row;
}

static void
on_unfinished_listed (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(OipBulkWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = oip_bulk_run_list_unfinished_finish (result, &error);
  GtkWidget *row;

  if (closed (self) || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->listing = FALSE;
  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->unfinished_list))) != NULL)
    gtk_list_box_remove (self->unfinished_list, row);
  /* Not listed is no worse than before: the seller can still open the
   * folder or CSV again. */
  if (runs == NULL)
    g_debug ("Could not list the unfinished bulk runs: %s", error->message);
  for (guint i = 0; runs != NULL && i < runs->len; i++)
    gtk_list_box_append (self->unfinished_list, unfinished_row_new (g_ptr_array_index (runs, i)));
  gtk_widget_set_visible (self->unfinished_box, runs != NULL && runs->len > 0);
}

/* The runs that stopped before the end, in earlier sessions too, on the
 * start page: each resumes as a stopped run does. */
static void
list_unfinished (OipBulkWindow *self)
{
  OipApplication *app = get_app (self);

  if (app == NULL || closed (self))
    return;
  self->listing = TRUE;
  oip_bulk_run_list_unfinished_async (oip_application_get_context (app), 10, self->cancellable,
                                      on_unfinished_listed, g_object_ref (self));
}

static void
undo_run_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  OipBulkWindow *self = OIP_BULK_WINDOW (widget);
  gint64 id = oip_bulk_run_get_id (self->run);

  /* The undo is a run of its own, reviewed and confirmed like any. */
  restart (self);
  show_loading (self, _("Finding the images the products had before…"));
  oip_bulk_run_new_undo_async (oip_application_get_context (get_app (self)), id, self->cancellable, on_undo_made,
                               g_object_ref (self));
}

/* The report {{{1 */

static void
append_field (GString    *csv,
              const char *value,
              gboolean    last)
{
  if (value == NULL)
    value = "";
  if (strpbrk (value, ",\"\r\n;") != NULL)
    {
      g_autoptr(GString) quoted = g_string_new (value);

      g_string_replace (quoted, "\"", "\"\"", 0);
      g_string_append_printf (csv, "\"%s\"", quoted->str);
    }
  else
    g_string_append (csv, value);
  g_string_append (csv, last ? "\r\n" : ",");
}

/**
 * oip_bulk_window_make_report:
 *
 * Returns: (transfer full): the run's report as CSV (RFC 4180, UTF-8):
 *   offer_id, product_id, state (untranslated, as in `ozon-push bulk`),
 *   images sent, imported, failed, error
 */
char *
oip_bulk_window_make_report (OipBulkWindow *self)
{
  GString *csv = g_string_new ("offer_id,product_id,state,images_sent,imported,failed,error\r\n");
  GListModel *items;

  g_return_val_if_fail (OIP_IS_BULK_WINDOW (self), NULL);

  if (self->run == NULL)
    return g_string_free (csv, FALSE);
  items = oip_bulk_run_get_items (self->run);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(OipBulkItem) item = g_list_model_get_item (items, i);
      const char *offer = oip_bulk_item_get_offer_id (item);
      g_autofree char *product_id = oip_bulk_item_get_product_id (item) > 0
                                    ? g_strdup_printf ("%" G_GINT64_FORMAT, oip_bulk_item_get_product_id (item))
                                    : g_strdup ("");
      g_autofree char *sent = g_strdup_printf ("%u", oip_bulk_item_get_n_sent (item));
      g_autofree char *imported = g_strdup_printf ("%u", oip_bulk_item_get_n_imported (item) +
                                                         oip_bulk_item_get_n_skipped (item));
      g_autofree char *failed = g_strdup_printf ("%u", oip_bulk_item_get_n_failed (item));
      g_autofree char *message = item_message (item);

      append_field (csv, offer != NULL ? offer : oip_bulk_item_get_identifier (item), FALSE);
      append_field (csv, product_id, FALSE);
      append_field (csv, oip_bulk_item_state_to_string (oip_bulk_item_get_state (item)), FALSE);
      append_field (csv, sent, FALSE);
      append_field (csv, imported, FALSE);
      append_field (csv, failed, FALSE);
      append_field (csv, message, TRUE);
    }
  return g_string_free (csv, FALSE);
}

static void
on_report_written (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * oip_bulk_window_export_async:
 * @file: where the report goes; replaced at once (a temporary file renamed
 *   over it), never left half written
 *
 * Writes oip_bulk_window_make_report() to @file.
 */
void
oip_bulk_window_export_async (OipBulkWindow       *self,
                              GFile               *file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  char *report = oip_bulk_window_make_report (self);
  g_autoptr(GBytes) bytes = g_bytes_new_take (report, strlen (report));

  g_task_set_source_tag (task, oip_bulk_window_export_async);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_NONE, cancellable,
                                       on_report_written, g_steal_pointer (&task));
}

gboolean
oip_bulk_window_export_finish (OipBulkWindow  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oip_bulk_window_export_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(OipBulkWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!oip_bulk_window_export_finish (self, result, &error))
    {
      if (!closed (self))
        oip_gui_show_error (GTK_WIDGET (self), error);
    }
  else if (closed (self))
    return;
  else
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Report saved")));
}

/* Choosing {{{1 */

typedef enum
{
  CHOOSE_FOLDER,
  CHOOSE_CSV,
  CHOOSE_REPORT,
} Choice;

static void
chosen (OipBulkWindow *self,
        Choice         choice,
        GFile         *file)
{
  if (file == NULL)
    return;
  if (choice == CHOOSE_REPORT)
    oip_bulk_window_export_async (self, file, NULL, on_exported, g_object_ref (self));
  else
    oip_bulk_window_open (self, file);
}

static GtkFileFilter *
csv_filter_new (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  return filter;
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
on_file_dialog_done (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(OipBulkWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  Choice choice = GPOINTER_TO_INT (g_object_get_data (source, "oip-choice"));

  if (choice == CHOOSE_FOLDER)
    file = gtk_file_dialog_select_folder_finish (GTK_FILE_DIALOG (source), result, &error);
  else if (choice == CHOOSE_CSV)
    file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (source), result, &error);
  else
    file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (source), result, &error);
  if (file == NULL && !g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED) &&
      !g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_CANCELLED))
    oip_gui_show_error (GTK_WIDGET (self), error);
  chosen (self, choice, file);
}
#else
static void
on_chooser_response (GtkNativeDialog *chooser,
                     int              response,
                     gpointer         user_data)
{
  g_autoptr(OipBulkWindow) self = user_data;
  Choice choice = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "oip-choice"));
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  chosen (self, choice, file);
}
#endif

static void
choose (OipBulkWindow *self,
        Choice         choice)
{
  const char *titles[] = { N_("Choose a Folder of Product Folders"), N_("Choose a CSV File"),
                           N_("Export Report") };
  const char *accept[] = { N_("_Open"), N_("_Open"), N_("_Save") };
  g_autoptr(GtkFileFilter) filter = choice == CHOOSE_FOLDER ? NULL : csv_filter_new ();

#if GTK_CHECK_VERSION (4, 10, 0)
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

  g_object_set_data (G_OBJECT (dialog), "oip-choice", GINT_TO_POINTER (choice));
  gtk_file_dialog_set_title (dialog, _(titles[choice]));
  gtk_file_dialog_set_accept_label (dialog, _(accept[choice]));
  if (filter != NULL)
    {
      g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);

      g_list_store_append (filters, filter);
      gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
      gtk_file_dialog_set_default_filter (dialog, filter);
    }
  if (choice == CHOOSE_FOLDER)
    gtk_file_dialog_select_folder (dialog, GTK_WINDOW (self), NULL, on_file_dialog_done, g_object_ref (self));
  else if (choice == CHOOSE_CSV)
    gtk_file_dialog_open (dialog, GTK_WINDOW (self), NULL, on_file_dialog_done, g_object_ref (self));
  else
    {
      gtk_file_dialog_set_initial_name (dialog, "bulk-push-report.csv");
      gtk_file_dialog_save (dialog, GTK_WINDOW (self), NULL, on_file_dialog_done, g_object_ref (self));
    }
#else
  GtkFileChooserAction actions[] = { GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, GTK_FILE_CHOOSER_ACTION_OPEN,
                                     GTK_FILE_CHOOSER_ACTION_SAVE };
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (_(titles[choice]), GTK_WINDOW (self),
                                                               actions[choice], _(accept[choice]), _("_Cancel"));

  g_object_set_data (G_OBJECT (chooser), "oip-choice", GINT_TO_POINTER (choice));
  if (filter != NULL)
    gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  if (choice == CHOOSE_REPORT)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "bulk-push-report.csv");
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
#endif
}

static void
choose_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  choose (OIP_BULK_WINDOW (widget), CHOOSE_FOLDER);
}

static void
choose_csv_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  choose (OIP_BULK_WINDOW (widget), CHOOSE_CSV);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  choose (OIP_BULK_WINDOW (widget), CHOOSE_REPORT);
}

/* Dropping {{{1 */

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         OipBulkWindow *self)
{
  GdkFileList *list;
  GSList *files;
  gboolean taken = FALSE;

  if (self->sending || !G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  list = g_value_get_boxed (value);
  files = gdk_file_list_get_files (list);
  if (files != NULL)
    {
      oip_bulk_window_open (self, files->data);
      taken = TRUE;
    }
  g_slist_free (files);
  return taken;
}

/* The window {{{1 */

static gboolean
oip_bulk_window_close_request (GtkWindow *window)
{
  OipBulkWindow *self = OIP_BULK_WINDOW (window);

  /* A run stopped by closing is in the database: it resumes. */
  g_cancellable_cancel (self->cancellable);
  if (self->send_cancellable != NULL)
    g_cancellable_cancel (self->send_cancellable);
  return GTK_WINDOW_CLASS (oip_bulk_window_parent_class)->close_request (window);
}

static void
on_problems_only_toggled (GtkCheckButton *check,
                          OipBulkWindow  *self)
{
  gtk_custom_filter_set_filter_func (self->filter, gtk_check_button_get_active (check) ? is_problem : NULL,
                                     NULL, NULL);
}

static void
oip_bulk_window_dispose (GObject *object)
{
  OipBulkWindow *self = OIP_BULK_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->send_cancellable != NULL)
    g_cancellable_cancel (self->send_cancellable);
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_data (self->run, self);
  g_clear_object (&self->run);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->send_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), OIP_TYPE_BULK_WINDOW);
  g_clear_object (&self->shown);
  g_clear_object (&self->filter);

  G_OBJECT_CLASS (oip_bulk_window_parent_class)->dispose (object);
}

static void
oip_bulk_window_class_init (OipBulkWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = oip_bulk_window_dispose;
  window_class->close_request = oip_bulk_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ozonpush/OzonImagePush/oip-bulk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OipBulkWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, OipBulkWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, OipBulkWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, OipBulkWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, OipBulkWindow, loading_label);
  gtk_widget_class_bind_template_child (widget_class, OipBulkWindow, source_label);
  gtk_widget_class_bind_template_child (widget_class, OipBulkWindow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, OipBulkWindow, quota_label);
  gtk_widget_class_bind_template_child (widget_class, OipBulkWindow, problems_expander);
  gtk_widget_class_bind_template_child (widget_class, OipBulkWindow, problems_list);
  gtk_widget_class_bind_template_child (widget_class, OipBulkWindow, problems_only_check);
  gtk_widget_class_bind_template_child (widget_class, OipBulkWindow, column_view);
  gtk_widget_class_bind_template_child (widget_class, OipBulkWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, OipBulkWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, OipBulkWindow, undo_button);
  gtk_widget_class_bind_template_child (widget_class, OipBulkWindow, export_button);
  gtk_widget_class_bind_template_child (widget_class, OipBulkWindow, resume_button);
  gtk_widget_class_bind_template_child (widget_class, OipBulkWindow, stop_button);
  gtk_widget_class_bind_template_child (widget_class, OipBulkWindow, push_button);
  gtk_widget_class_bind_template_child (widget_class, OipBulkWindow, unfinished_box);
  gtk_widget_class_bind_template_child (widget_class, OipBulkWindow, unfinished_list);

  gtk_widget_class_install_action (widget_class, "bulk.choose-folder", NULL, choose_folder_action);
  gtk_widget_class_install_action (widget_class, "bulk.choose-csv", NULL, choose_csv_action);
  gtk_widget_class_install_action (widget_class, "bulk.push", NULL, push_action);
  gtk_widget_class_install_action (widget_class, "bulk.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "bulk.resume", NULL, resume_action);
  gtk_widget_class_install_action (widget_class, "bulk.resume-run", "x", resume_run_action);
  gtk_widget_class_install_action (widget_class, "bulk.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "bulk.undo-run", NULL, undo_run_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
oip_bulk_window_init (OipBulkWindow *self)
{
  GtkDropTarget *drop;
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  self->filter = gtk_custom_filter_new (NULL, NULL, NULL);
  self->shown = gtk_filter_list_model_new (NULL, g_object_ref (GTK_FILTER (self->filter)));
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->shown)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  add_column (self, "", COLUMN_PICTURE, FALSE);
  add_column (self, _("Product"), COLUMN_PRODUCT, FALSE);
  /* Translators: a column: images now → after the push */
  add_column (self, _("Images"), COLUMN_IMAGES, FALSE);
  add_column (self, _("State"), COLUMN_STATE, FALSE);
  add_column (self, _("Message"), COLUMN_MESSAGE, TRUE);
  g_signal_connect (self->problems_only_check, "toggled", G_CALLBACK (on_problems_only_toggled), self);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self->toast_overlay), GTK_EVENT_CONTROLLER (drop));

  update_actions (self);
}

OipBulkWindow *
oip_bulk_window_new (OipApplication *application)
{
  OipBulkWindow *self = g_object_new (OIP_TYPE_BULK_WINDOW, "application", application, NULL);

  list_unfinished (self);
  return self;
}

/**
 * oip_bulk_window_is_listing:
 *
 * Returns: whether the unfinished runs on the start page are being read
 */
gboolean
oip_bulk_window_is_listing (OipBulkWindow *self)
{
  g_return_val_if_fail (OIP_IS_BULK_WINDOW (self), FALSE);
  return self->listing;
}

OipBulkRun *
oip_bulk_window_get_run (OipBulkWindow *self)
{
  g_return_val_if_fail (OIP_IS_BULK_WINDOW (self), NULL);
  return self->run;
}

/**
 * oip_bulk_window_get_shown:
 *
 * Returns: (transfer none): the products the column view shows (all, or
 *   only those with problems)
 */
GListModel *
oip_bulk_window_get_shown (OipBulkWindow *self)
{
  g_return_val_if_fail (OIP_IS_BULK_WINDOW (self), NULL);
  return G_LIST_MODEL (self->shown);
}

const char *
oip_bulk_window_get_page (OipBulkWindow *self)
{
  g_return_val_if_fail (OIP_IS_BULK_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

gboolean
oip_bulk_window_is_busy (OipBulkWindow *self)
{
  g_return_val_if_fail (OIP_IS_BULK_WINDOW (self), FALSE);
  return self->busy || self->sending;
}
