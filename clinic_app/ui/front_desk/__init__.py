"""The front desk: today's procedures, handout previews and printing."""
