"""Electronic waybills: ask a carrier (顺丰, 菜鸟) for a waybill number at outbound and print its label."""
