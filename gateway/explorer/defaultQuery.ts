/** What a newcomer sees first in the explorer: the order-history page the MFE renders. */
export const DEFAULT_QUERY = `# The order history page, as the MFE asks for it.
query OrderHistory($page: Int = 1) {
  orderHistory(page: $page, pageSize: 20) {
    count
    pageCount
    orders {
      number
      placedAt
      status
      total { amount currency }
      receiptUrl
      lines {
        quantity
        description
        courseRun { title organization }
      }
    }
  }
}
`;
