import { gql, type TypedDocumentNode } from '@apollo/client';

export interface Money {
  amount: string;
  currency: string;
}

export interface OrderHistoryOrder {
  number: string;
  placedAt: string;
  status: string;
  total: Money;
  receiptUrl: string;
  lines: { title: string; quantity: number; description: string; courseRun: { title: string } | null }[];
}

export interface OrderHistoryData {
  orderHistory: {
    count: number;
    page: number;
    pageSize: number;
    pageCount: number;
    complete: boolean;
    orders: OrderHistoryOrder[];
  };
}

export interface OrderHistoryVariables {
  page: number;
  pageSize: number;
}

/**
 * The order-history page's one query: what the legacy MFE read from `GET /api/v2/orders/`, plus
 * `complete`, which says whether every system holding the learner's orders answered (merged history).
 */
export const ORDER_HISTORY: TypedDocumentNode<OrderHistoryData, OrderHistoryVariables> = gql`
  query OrderHistory($page: Int!, $pageSize: Int!) {
    orderHistory(page: $page, pageSize: $pageSize) {
      count
      page
      pageSize
      pageCount
      complete
      orders {
        number
        placedAt
        status
        total {
          amount
          currency
        }
        receiptUrl
        lines {
          title
          quantity
          description
          courseRun {
            title
          }
        }
      }
    }
  }
`;
