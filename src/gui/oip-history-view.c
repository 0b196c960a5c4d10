/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "oip-history-row.h"
#include "oip-history-view.h"
#include "oip-widget-util.h"

/**
 * OipHistoryView:
 *
 * The push history, newest first: one product's pushes (opened from its
 * card) or every product's (the main menu, Ctrl+H), read
 * %OIP_HISTORY_VIEW_PAGE records at a time with “Show More”. The records
 * are read on the database's worker thread (oip_history_list_async()):
 * the window never waits for them. Each row says how the push ended
 * (interrupted ones as such), when, what it counted and what the product
 * had before and after; “Restore These Images” emits
 * #OipHistoryView::restore with the record, for the window to open the
 * normal review.
 *
 * It is the content of a dialog (see oip-dialogs.h).
 */
struct _OipHistoryView
{
  GtkWidget       parent_instance;

  GtkWidget      *content;
  AdwWindowTitle *window_title;
  GtkStack       *stack;
  GtkSpinner     *spinner;
  AdwStatusPage  *empty_page;
  AdwStatusPage  *error_page;
  GtkListBox     *list_box;
  GtkLabel       *more_error;
  GtkWidget      *more_button;

  OipHistory     *history;
  gint64          product_id;
  GCancellable   *cancellable;
  gint64          last_id;
  guint           n_rows;
  gboolean        loading;
  gboolean        more;
};

G_DEFINE_FINAL_TYPE (OipHistoryView, oip_history_view, GTK_TYPE_WIDGET)

enum {
  RESTORE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_row_restore (OipHistoryRow  *row,
                OipHistoryView *self)
{
  g_signal_emit (self, signals[RESTORE], 0, oip_history_row_get_record (row));
}

static void
update_more (OipHistoryView *self)
{
  gtk_widget_set_visible (self->more_button, self->more || self->loading);
  gtk_widget_set_sensitive (self->more_button, !self->loading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history.more", self->more && !self->loading);
}

static void
on_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(OipHistoryView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = oip_history_list_finish (OIP_HISTORY (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  gtk_spinner_stop (self->spinner);

  if (records == NULL)
    {
      if (self->n_rows == 0)
        {
          adw_status_page_set_description (self->error_page, error->message);
          gtk_stack_set_visible_child_name (self->stack, "error");
        }
      else
        {
          gtk_label_set_text (self->more_error, error->message);
          gtk_widget_set_visible (GTK_WIDGET (self->more_error), TRUE);
        }
      update_more (self);
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->more_error), FALSE);
  for (guint i = 0; i < records->len; i++)
    {
      const OipPushRecord *record = g_ptr_array_index (records, i);
      GtkWidget *row = oip_history_row_new (record, self->product_id == 0);

      g_signal_connect_object (row, "restore", G_CALLBACK (on_row_restore), self, 0);
      gtk_list_box_append (self->list_box, row);
      self->last_id = record->id;
      self->n_rows++;
    }
  /* A full page: there may be more. */
  self->more = records->len == OIP_HISTORY_VIEW_PAGE;
  gtk_stack_set_visible_child_name (self->stack, self->n_rows > 0 ? "list" : "empty");
  update_more (self);
}

static void
load_page (OipHistoryView *self)
{
  if (self->loading)
    return;
  self->loading = TRUE;
  update_more (self);
  oip_history_list_async (self->history, self->product_id, OIP_HISTORY_VIEW_PAGE, self->last_id,
                          self->cancellable, on_listed, g_object_ref (self));
}

static void
more_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  load_page (OIP_HISTORY_VIEW (widget));
}

static void
oip_history_view_dispose (GObject *object)
{
  OipHistoryView *self = OIP_HISTORY_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), OIP_TYPE_HISTORY_VIEW);
  G_OBJECT_CLASS (oip_history_view_parent_class)->dispose (object);
}

static void
oip_history_view_finalize (GObject *object)
{
  OipHistoryView *self = OIP_HISTORY_VIEW (object);

  g_clear_object (&self->history);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (oip_history_view_parent_class)->finalize (object);
}

static void
oip_history_view_class_init (OipHistoryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = oip_history_view_dispose;
  object_class->finalize = oip_history_view_finalize;

  /**
   * OipHistoryView::restore:
   * @record: (type gpointer): the #OipPushRecord whose images before the
   *   push the seller wants back; valid during the emission only
   */
  signals[RESTORE] = g_signal_new ("restore", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);

  g_type_ensure (OIP_TYPE_HISTORY_ROW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/ozonpush/OzonImagePush/oip-history-view.ui");
  gtk_widget_class_bind_template_child (widget_class, OipHistoryView, content);
  gtk_widget_class_bind_template_child (widget_class, OipHistoryView, window_title);
  gtk_widget_class_bind_template_child (widget_class, OipHistoryView, stack);
  gtk_widget_class_bind_template_child (widget_class, OipHistoryView, spinner);
  gtk_widget_class_bind_template_child (widget_class, OipHistoryView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, OipHistoryView, error_page);
  gtk_widget_class_bind_template_child (widget_class, OipHistoryView, list_box);
  gtk_widget_class_bind_template_child (widget_class, OipHistoryView, more_error);
  gtk_widget_class_bind_template_child (widget_class, OipHistoryView, more_button);
  gtk_widget_class_install_action (widget_class, "history.more", NULL, more_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
oip_history_view_init (OipHistoryView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  oip_widget_prepare_buttons (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/**
 * oip_history_view_new:
 * @product_id: one product's pushes, or 0 for every product's
 * @offer_id: (nullable): that product's offer ID, for the title
 *
 * Starts reading the newest records at once.
 */
OipHistoryView *
oip_history_view_new (OipHistory *history,
                      gint64      product_id,
                      const char *offer_id)
{
  OipHistoryView *self;

  g_return_val_if_fail (OIP_IS_HISTORY (history), NULL);

  self = g_object_new (OIP_TYPE_HISTORY_VIEW, NULL);
  self->history = g_object_ref (history);
  self->product_id = product_id;
  if (product_id > 0)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, product_id);

      adw_window_title_set_subtitle (self->window_title, offer_id != NULL ? offer_id : id);
      adw_status_page_set_description (self->empty_page, _("Pushes of this product are listed here, newest first."));
    }
  else
    {
      adw_window_title_set_subtitle (self->window_title, _("All products"));
      adw_status_page_set_description (self->empty_page, _("Pushes are listed here, newest first."));
    }
  gtk_stack_set_visible_child_name (self->stack, "loading");
  gtk_spinner_start (self->spinner);
  load_page (self);
  return self;
}

gboolean
oip_history_view_is_loading (OipHistoryView *self)
{
  g_return_val_if_fail (OIP_IS_HISTORY_VIEW (self), FALSE);
  return self->loading;
}

guint
oip_history_view_get_n_rows (OipHistoryView *self)
{
  g_return_val_if_fail (OIP_IS_HISTORY_VIEW (self), 0);
  return self->n_rows;
}

/**
 * oip_history_view_get_row:
 *
 * Returns: (transfer none) (nullable): the #OipHistoryRow at @index,
 *   newest first
 */
GtkWidget *
oip_history_view_get_row (OipHistoryView *self,
                          guint           index)
{
  g_return_val_if_fail (OIP_IS_HISTORY_VIEW (self), NULL);
  return GTK_WIDGET (gtk_list_box_get_row_at_index (self->list_box, index));
}

/**
 * oip_history_view_can_show_more:
 *
 * Returns: whether “Show More” may find older records
 */
gboolean
oip_history_view_can_show_more (OipHistoryView *self)
{
  g_return_val_if_fail (OIP_IS_HISTORY_VIEW (self), FALSE);
  return self->more;
}

gint64
oip_history_view_get_product_id (OipHistoryView *self)
{
  g_return_val_if_fail (OIP_IS_HISTORY_VIEW (self), 0);
  return self->product_id;
}
