/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "oip-widget-util.h"

static void
prepare_button (GtkWidget *button)
{
  GtkWidget *child = GTK_IS_BUTTON (button) ? gtk_button_get_child (GTK_BUTTON (button)) : NULL;

  if (!GTK_IS_LABEL (child))
    return;

  /* GTK 4.8 names a button after its label's markup, mnemonic included
   * (“_Upload”): a screen reader then reads the underscore. The label's
   * text is what is shown. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, gtk_label_get_text (GTK_LABEL (child)),
                                  -1);
  /* Long translations wrap instead of widening the window past 360 px;
   * not in a header bar, where a button is a word or two and the title
   * gives way first. */
  if (!gtk_label_get_wrap (GTK_LABEL (child)) &&
      gtk_widget_get_ancestor (button, ADW_TYPE_HEADER_BAR) == NULL)
    {
      gtk_label_set_wrap (GTK_LABEL (child), TRUE);
      gtk_label_set_justify (GTK_LABEL (child), GTK_JUSTIFY_CENTER);
    }
}

/**
 * oip_widget_prepare_buttons:
 * @root: a widget whose buttons to prepare
 *
 * Gives every button with a text label under @root an explicit accessible
 * name (the label as shown, without its mnemonic) and a label that wraps.
 * Call it once the template is built and whenever a label changes.
 */
void
oip_widget_prepare_buttons (GtkWidget *root)
{
  g_return_if_fail (GTK_IS_WIDGET (root));

  prepare_button (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    oip_widget_prepare_buttons (child);
}
